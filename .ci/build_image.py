"""Build a Buf-compatible image of the hedui schemas, imports included.

Usage, from the repository root:

    python .ci/build_image.py OUT [--proto-root DIR]

Buf reads a serialized FileDescriptorSet as an image, and protoc from
grpcio-tools writes one with ``--include_imports --include_source_info``.
The imported buf/validate and google/protobuf files come from the dependency
descriptor set that ``proto/generate.py`` builds. Nothing is fetched from the
Buf Schema Registry.

``--proto-root`` points at another copy of the proto folder (for example an
older commit unpacked into a temporary folder) to build its image with the
dependency set of the installed packages.
"""

from __future__ import annotations

import argparse
import importlib.util
import pathlib
import sys
import tempfile

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent
GENERATOR = REPO_ROOT / "proto" / "generate.py"


def load_generator():
    """Import proto/generate.py as a module without putting proto/ on sys.path."""
    spec = importlib.util.spec_from_file_location("hedui_proto_generate", GENERATOR)
    if spec is None or spec.loader is None:
        raise SystemExit(f"failed to load {GENERATOR}: file missing or unreadable")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_image(out: pathlib.Path, proto_root: pathlib.Path) -> list[str]:
    """Write the image of every hedui/v1/*.proto under proto_root to out and return their paths."""
    generator = load_generator()
    schemas = sorted(str(p.relative_to(proto_root)) for p in (proto_root / "hedui" / "v1").glob("*.proto"))
    if not schemas:
        raise SystemExit(f"no .proto files found under {proto_root / 'hedui' / 'v1'}; check --proto-root")

    from grpc_tools import protoc

    with tempfile.TemporaryDirectory() as tmp:
        deps = pathlib.Path(tmp) / "deps.binpb"
        generator.dependency_descriptor_set(deps)
        args = [
            "protoc",
            f"--descriptor_set_in={deps}",
            f"-I{proto_root}",
            "--include_imports",
            "--include_source_info",
            f"--descriptor_set_out={out}",
            *schemas,
        ]
        if protoc.main(args) != 0:
            raise SystemExit(f"protoc failed to build the image of {proto_root}")
    return schemas


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=pathlib.Path, help="image file to write (binary FileDescriptorSet)")
    parser.add_argument(
        "--proto-root",
        type=pathlib.Path,
        default=REPO_ROOT / "proto",
        help="folder that contains hedui/v1/*.proto (default: this checkout's proto/)",
    )
    args = parser.parse_args(argv)
    schemas = build_image(args.out.resolve(), args.proto_root.resolve())
    print(f"image of {len(schemas)} schema files written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
