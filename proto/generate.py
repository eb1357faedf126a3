"""Regenerate the Python protobuf and gRPC modules from the .proto sources.

Run from the repository root:

    python proto/generate.py          # rewrite proto/hedui/v1/*_pb2*.py
    python proto/generate.py --check  # exit 1 if the checked-in code is stale

The schemas import ``buf/validate/validate.proto``. No network is needed for
it: its descriptor is taken from the installed ``protovalidate`` package and
handed to protoc as a descriptor set, and its Python module is generated into
``proto/buf/validate``.
"""

from __future__ import annotations

import argparse
import ast
import filecmp
import importlib.util
import pathlib
import shutil
import sys
import tempfile

PROTO_ROOT = pathlib.Path(__file__).resolve().parent
SCHEMA_DIR = PROTO_ROOT / "hedui" / "v1"
VALIDATE_PROTO = "buf/validate/validate.proto"
GENERATED_SUFFIXES = ("_pb2.py", "_pb2.pyi", "_pb2_grpc.py")


def validate_descriptor_bytes() -> bytes:
    """Return the serialized FileDescriptorProto of buf/validate/validate.proto.

    protovalidate ships it inside its generated module as the first argument
    of a ``file_desc(...)`` call; reading the source with ``ast`` avoids
    depending on that module's private runtime.
    """
    spec = importlib.util.find_spec("protovalidate")
    if spec is None or spec.origin is None:
        raise SystemExit("protovalidate is not installed: pip install protovalidate")
    module_path = pathlib.Path(spec.origin).parent / "_gen" / "buf" / "validate" / "validate_pb.py"
    tree = ast.parse(module_path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "file_desc":
            value = ast.literal_eval(node.args[0])
            if isinstance(value, bytes):
                return value
    raise SystemExit(f"no file descriptor found in {module_path}")


def dependency_descriptor_set(path: pathlib.Path) -> None:
    """Write a FileDescriptorSet with validate.proto and the well-known types it imports."""
    from google.protobuf import descriptor_pb2, duration_pb2, field_mask_pb2, timestamp_pb2

    descriptor_set = descriptor_pb2.FileDescriptorSet()
    for module in (descriptor_pb2, duration_pb2, field_mask_pb2, timestamp_pb2):
        descriptor_set.file.add().ParseFromString(module.DESCRIPTOR.serialized_pb)
    descriptor_set.file.add().ParseFromString(validate_descriptor_bytes())
    path.write_bytes(descriptor_set.SerializeToString())


def schema_files() -> list[str]:
    """Return the schema paths relative to the proto root, sorted."""
    return sorted(str(p.relative_to(PROTO_ROOT)) for p in SCHEMA_DIR.glob("*.proto"))


def run_protoc(out_dir: pathlib.Path, descriptor_set: pathlib.Path) -> None:
    """Run protoc (from grpcio-tools) into out_dir."""
    from grpc_tools import protoc

    common = [
        "protoc",
        f"--descriptor_set_in={descriptor_set}",
        f"-I{PROTO_ROOT}",
        f"--python_out={out_dir}",
        f"--pyi_out={out_dir}",
    ]
    if protoc.main([*common, f"--grpc_python_out={out_dir}", *schema_files()]) != 0:
        raise SystemExit("protoc failed on the hedui schemas")
    if protoc.main([*common, VALIDATE_PROTO]) != 0:
        raise SystemExit("protoc failed on buf/validate/validate.proto")


def generated_files(root: pathlib.Path) -> list[pathlib.Path]:
    """List generated modules under root, relative to it."""
    found = []
    for sub in ("hedui/v1", "buf/validate"):
        for path in sorted((root / sub).glob("*")):
            if path.name.endswith(GENERATED_SUFFIXES):
                found.append(path.relative_to(root))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 on drift")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = pathlib.Path(tmp)
        descriptor_set = tmp_dir / "deps.binpb"
        out_dir = tmp_dir / "out"
        out_dir.mkdir()
        dependency_descriptor_set(descriptor_set)
        run_protoc(out_dir, descriptor_set)
        fresh = generated_files(out_dir)

        if args.check:
            current = generated_files(PROTO_ROOT)
            stale = sorted(set(map(str, fresh)) ^ set(map(str, current)))
            stale += [
                str(rel) for rel in fresh
                if (PROTO_ROOT / rel).exists() and not filecmp.cmp(out_dir / rel, PROTO_ROOT / rel, shallow=False)
            ]
            if stale:
                print("generated code is out of date; run: python proto/generate.py", file=sys.stderr)
                for name in stale:
                    print(f"  {name}", file=sys.stderr)
                return 1
            print(f"generated code matches {len(fresh)} files")
            return 0

        for rel in generated_files(PROTO_ROOT):
            (PROTO_ROOT / rel).unlink()
        for rel in fresh:
            target = PROTO_ROOT / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(out_dir / rel, target)
        print(f"wrote {len(fresh)} files under {PROTO_ROOT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
