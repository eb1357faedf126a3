"""Checks that tie the .proto sources to the generated code and to their docs.

- The checked-in *_pb2*.py modules match what proto/generate.py generates now.
- Every message, field, enum, value, oneof, service, method and extension
  in hedui/v1 has a leading comment in both Chinese and English.
- The protovalidate rules in the schemas are enforced at run time.
"""

from __future__ import annotations

import importlib.util
import pathlib
import re
import subprocess
import sys
import tempfile

import pytest

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent
PROTO_ROOT = REPO_ROOT / "proto"
GENERATOR = PROTO_ROOT / "generate.py"

HAVE_GRPC_TOOLS = importlib.util.find_spec("grpc_tools") is not None
needs_grpc_tools = pytest.mark.skipif(
    not HAVE_GRPC_TOOLS,
    reason="grpcio-tools is not installed (pip install -e '.[test]'), so protoc cannot run",
)

# CJK unified ideographs, with extension A and the compatibility block.
CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")

# Elements whose comment has no Chinese word yet, each with the reason.
# test_chinese_exemptions_still_needed fails once a comment gains Chinese,
# so the list stays current.
CHINESE_EXEMPT: set[str] = set()

# Field numbers in descriptor.proto, used to build SourceCodeInfo paths.
FILE_MESSAGE, FILE_ENUM, FILE_SERVICE, FILE_EXTENSION = 4, 5, 6, 7
MESSAGE_FIELD, MESSAGE_NESTED, MESSAGE_ENUM, MESSAGE_EXTENSION, MESSAGE_ONEOF = 2, 3, 4, 6, 8
ENUM_VALUE = 2
SERVICE_METHOD = 2


def load_generator():
    """Import proto/generate.py as a module, because it is a script and not a package."""
    spec = importlib.util.spec_from_file_location("hedui_proto_generate", GENERATOR)
    assert spec is not None and spec.loader is not None, f"failed to load {GENERATOR}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@needs_grpc_tools
def test_generated_code_matches_protos():
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--check"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, (
        "generated code differs from the .proto sources; run `python proto/generate.py` "
        f"and commit the result\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    )


@pytest.fixture(scope="module")
def schema_files():
    """Compile the hedui schemas with source info and return their FileDescriptorProtos."""
    if not HAVE_GRPC_TOOLS:
        pytest.skip("grpcio-tools is not installed (pip install -e '.[test]'), so protoc cannot run")
    from google.protobuf import descriptor_pb2
    from grpc_tools import protoc

    generator = load_generator()
    with tempfile.TemporaryDirectory() as tmp:
        deps = pathlib.Path(tmp) / "deps.binpb"
        out = pathlib.Path(tmp) / "schemas.binpb"
        generator.dependency_descriptor_set(deps)
        args = [
            "protoc",
            f"--descriptor_set_in={deps}",
            f"-I{PROTO_ROOT}",
            "--include_source_info",
            f"--descriptor_set_out={out}",
            *generator.schema_files(),
        ]
        assert protoc.main(args) == 0, "protoc failed on the hedui schemas"
        descriptor_set = descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes())
    return list(descriptor_set.file)


def documented_elements(file):
    """Yield (full name, kind, leading comment) for each element of one schema file."""
    comments = {tuple(loc.path): loc.leading_comments for loc in file.source_code_info.location}

    def element(path, kind, name):
        return name, kind, comments.get(tuple(path), "")

    def enum(desc, path, scope):
        name = f"{scope}.{desc.name}"
        yield element(path, "enum", name)
        for i, value in enumerate(desc.value):
            yield element([*path, ENUM_VALUE, i], "enum value", f"{scope}.{desc.name}.{value.name}")

    def message(desc, path, scope):
        name = f"{scope}.{desc.name}"
        yield element(path, "message", name)
        for i, field in enumerate(desc.field):
            yield element([*path, MESSAGE_FIELD, i], "field", f"{name}.{field.name}")
        for i, oneof in enumerate(desc.oneof_decl):
            yield element([*path, MESSAGE_ONEOF, i], "oneof", f"{name}.{oneof.name}")
        for i, ext in enumerate(desc.extension):
            yield element([*path, MESSAGE_EXTENSION, i], "extension", f"{name}.{ext.name}")
        for i, nested in enumerate(desc.nested_type):
            yield from message(nested, [*path, MESSAGE_NESTED, i], name)
        for i, nested in enumerate(desc.enum_type):
            yield from enum(nested, [*path, MESSAGE_ENUM, i], name)

    for i, desc in enumerate(file.message_type):
        yield from message(desc, [FILE_MESSAGE, i], file.package)
    for i, desc in enumerate(file.enum_type):
        yield from enum(desc, [FILE_ENUM, i], file.package)
    for i, service in enumerate(file.service):
        name = f"{file.package}.{service.name}"
        yield element([FILE_SERVICE, i], "service", name)
        for j, method in enumerate(service.method):
            yield element([FILE_SERVICE, i, SERVICE_METHOD, j], "method", f"{name}.{method.name}")
    for i, ext in enumerate(file.extension):
        yield element([FILE_EXTENSION, i], "extension", f"{file.package}.{ext.name}")


def test_schema_comments_are_bilingual(schema_files):
    elements = [(file.name, *item) for file in schema_files for item in documented_elements(file)]
    kinds = {kind for _, _, kind, _ in elements}
    assert {"message", "field", "enum", "enum value", "service", "method"} <= kinds
    assert len(elements) > 100, f"only {len(elements)} elements found: is source info missing?"

    missing = []
    for file_name, name, kind, comment in elements:
        if not comment.strip():
            missing.append(f"{file_name}: {kind} {name} has no leading comment")
        elif not LATIN.search(comment):
            missing.append(f"{file_name}: {kind} {name} has no English in {comment.strip()!r}")
        elif not CHINESE.search(comment) and name not in CHINESE_EXEMPT:
            missing.append(f"{file_name}: {kind} {name} has no Chinese in {comment.strip()!r}")
    assert not missing, "schema elements need a Chinese and English comment:\n" + "\n".join(missing)


def test_chinese_exemptions_still_needed(schema_files):
    comments = {name: comment for file in schema_files for name, _, comment in documented_elements(file)}
    unknown = sorted(CHINESE_EXEMPT - comments.keys())
    assert not unknown, f"CHINESE_EXEMPT names elements that do not exist: {unknown}"
    fixed = sorted(name for name in CHINESE_EXEMPT if CHINESE.search(comments[name]))
    assert not fixed, f"these comments now have Chinese; remove them from CHINESE_EXEMPT: {fixed}"


def test_person_ref_rejects_bad_id_number():
    protovalidate = pytest.importorskip("protovalidate")
    from hedui.v1 import common_pb2

    person = common_pb2.PersonRef(id_number="123", name="张三", relation_code="02")
    with pytest.raises(protovalidate.ValidationError) as excinfo:
        protovalidate.validate(person)

    violations = excinfo.value.violations
    assert len(violations) == 1
    assert violations[0].proto.field.elements[0].field_name == "id_number"
    assert violations[0].proto.rule_id == "string.pattern"


def test_person_ref_accepts_valid_person():
    protovalidate = pytest.importorskip("protovalidate")
    from hedui.v1 import common_pb2

    person = common_pb2.PersonRef(id_number="11010519491231002X", name="张三", relation_code="02")
    protovalidate.validate(person)


def test_verify_query_rejects_unspecified_purpose():
    protovalidate = pytest.importorskip("protovalidate")
    from hedui.v1 import common_pb2, exchange_pb2

    query = exchange_pb2.VerifyQuery(
        member_id_numbers=["11010519491231002X"],
        categories=[common_pb2.DATA_CATEGORY_PENSION],
        purpose=common_pb2.PURPOSE_UNSPECIFIED,
    )
    with pytest.raises(protovalidate.ValidationError) as excinfo:
        protovalidate.validate(query)

    failed_fields = {v.proto.field.elements[0].field_name for v in excinfo.value.violations}
    assert "purpose" in failed_fields
    assert "authorization" in failed_fields
