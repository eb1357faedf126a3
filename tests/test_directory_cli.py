"""The `hedui keys` and `hedui directory` commands, and a node that will not start on a bad directory.

The commands run as subprocesses of this interpreter, as an operator would
run them, and their exit codes and output are checked in both languages.
"""

from __future__ import annotations

import base64
import datetime
import json
import os
import pathlib
import stat
import subprocess
import sys

import pytest
from google.protobuf import json_format

from exchange_helpers import CJK
from federation_harness import PROVINCE, standard_specs
from hedui.gateway.config import load_config
from hedui.gateway.directory import save_signed
from hedui.gateway.errors import HeduiError
from hedui.gateway.federation import Federation, build_federation
from hedui.gateway.keys import ED25519, SigningKey
from hedui.gateway.node import Node
from hedui.gateway.server import start_server
from hedui.gateway.timeutil import to_timestamp, utcnow
from hedui.v1 import directory_pb2


def hedui(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the hedui command line with the default language and return the finished process."""
    env = {key: value for key, value in os.environ.items() if key != "HEDUI_LANG"}
    return subprocess.run([sys.executable, "-m", "hedui.gateway.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=15, env=env)


def directory_source(expires_in: datetime.timedelta = datetime.timedelta(days=30)) -> directory_pb2.Directory:
    """Return an unsigned two-node directory: Shanxi civil affairs and its social security department."""
    now = utcnow()
    directory = directory_pb2.Directory(federation="shanxi-test", version=3, issued_at=to_timestamp(now),
                                        expires_at=to_timestamp(now + expires_in))
    for node_id, name, role in (("140000/MZ", "山西省民政厅", directory_pb2.NODE_ROLE_CIVIL_AFFAIRS),
                                ("140000/RS", "山西省人社厅", directory_pb2.NODE_ROLE_DEPARTMENT)):
        key = SigningKey.generate(node_id)
        directory.nodes.add(node_id=node_id, name=name, role=role, address="127.0.0.1:7443",
                            keys=[directory_pb2.PublicKey(key_id=key.key_id, algorithm=ED25519,
                                                          public_key=key.public_key)])
    directory.nodes[0].issues_for_divisions.append("140000")
    directory.nodes[1].parent = "140000/MZ"
    return directory


@pytest.fixture
def anchor(tmp_path) -> tuple[pathlib.Path, pathlib.Path]:
    """Generate a trust anchor key pair with the command line; return (private, public) paths."""
    result = hedui("keys", "generate", "--node", "000000/MZ/ANCHOR", "--out", tmp_path / "keys")
    assert result.returncode == 0, result.stderr
    return tmp_path / "keys" / "000000_MZ_ANCHOR.key", tmp_path / "keys" / "000000_MZ_ANCHOR.pub"


@pytest.fixture
def signed(tmp_path, anchor) -> pathlib.Path:
    """Sign a fresh directory source with the command line and return the signed file."""
    source = tmp_path / "directory.source.json"
    source.write_text(json_format.MessageToJson(directory_source()), encoding="utf-8")
    result = hedui("directory", "sign", source, "--key", anchor[0], "--out", tmp_path / "directory.json")
    assert result.returncode == 0, result.stderr
    return tmp_path / "directory.json"


def sign_as_issued(path: pathlib.Path, directory: directory_pb2.Directory, key: SigningKey) -> None:
    """Sign the directory bytes as they stand, like a directory signed earlier that has expired since."""
    data = directory.SerializeToString(deterministic=True)
    save_signed(path, directory_pb2.SignedDirectory(directory=data, signature=key.sign(data)))


def edit_signed_bytes(path: pathlib.Path) -> None:
    """Change one byte of the signed directory bytes, leaving the signature as it was."""
    document = json.loads(path.read_text(encoding="utf-8"))
    data = bytearray(base64.b64decode(document["directory"]))
    data[len(data) // 2] ^= 0x01
    document["directory"] = base64.b64encode(bytes(data)).decode()
    path.write_text(json.dumps(document), encoding="utf-8")


# hedui keys generate.

def test_keys_generate_files(tmp_path):
    result = hedui("keys", "generate", "--node", "140100/MZ", "--out", tmp_path)
    private = tmp_path / "140100_MZ.key"
    public = json.loads((tmp_path / "140100_MZ.pub").read_text(encoding="utf-8"))
    assert result.returncode == 0
    assert CJK.search(result.stdout)
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert public["node_id"] == "140100/MZ"
    assert public["key_id"] == SigningKey.load(private, "140100/MZ").key_id
    assert public["key_id"] in result.stdout


def test_keys_generate_no_overwrite(tmp_path):
    assert hedui("keys", "generate", "--node", "140100/MZ", "--out", tmp_path).returncode == 0
    before = (tmp_path / "140100_MZ.key").read_bytes()
    result = hedui("keys", "generate", "--node", "140100/MZ", "--out", tmp_path)
    assert result.returncode != 0
    assert CJK.search(result.stdout + result.stderr)
    assert (tmp_path / "140100_MZ.key").read_bytes() == before


def test_keys_generate_english(tmp_path):
    result = hedui("--lang", "en", "keys", "generate", "--node", "140100/MZ", "--out", tmp_path)
    assert result.returncode == 0
    assert "generated a signing key" in result.stdout
    assert not CJK.search(result.stdout)


def test_keys_generate_bad_node(tmp_path):
    result = hedui("keys", "generate", "--node", "991234/MZ", "--out", tmp_path)
    assert result.returncode == 2
    assert "INVALID_DIVISION_CODE" in result.stderr
    assert CJK.search(result.stderr)
    assert not (tmp_path / "991234_MZ.key").exists()


# hedui directory sign, verify and show.

def test_directory_sign_output(signed):
    document = json.loads(signed.read_text(encoding="utf-8"))
    assert set(document) == {"directory", "signature"}


def test_directory_verify_chinese(signed, anchor):
    result = hedui("directory", "verify", signed, "--anchor", anchor[1])
    assert result.returncode == 0
    assert "目录有效" in result.stdout
    assert "shanxi-test" in result.stdout


def test_directory_verify_english(signed, anchor):
    result = hedui("--lang", "en", "directory", "verify", signed, "--anchor", anchor[1])
    assert result.returncode == 0
    assert "directory valid" in result.stdout
    assert not CJK.search(result.stdout)


def test_directory_show_nodes(signed, anchor):
    result = hedui("directory", "show", signed, "--anchor", anchor[1])
    assert result.returncode == 0
    assert "140000/MZ  山西省民政厅  [民政]" in result.stdout
    assert "140000/RS  山西省人社厅  [部门]" in result.stdout
    assert "上级：140000/MZ" in result.stdout


def test_directory_show_english(signed, anchor):
    result = hedui("--lang", "en", "directory", "show", signed, "--anchor", anchor[1])
    assert result.returncode == 0
    assert "[department]" in result.stdout
    assert "parent: 140000/MZ" in result.stdout


def test_directory_verify_other_anchor(signed, tmp_path):
    hedui("keys", "generate", "--node", "000000/MZ/ANCHOR", "--out", tmp_path / "other")
    result = hedui("directory", "verify", signed, "--anchor", tmp_path / "other" / "000000_MZ_ANCHOR.pub")
    assert result.returncode == 2
    assert "DIRECTORY_SIGNATURE_INVALID" in result.stderr
    assert CJK.search(result.stderr)


def test_directory_verify_edited(signed, anchor):
    edit_signed_bytes(signed)
    result = hedui("directory", "verify", signed, "--anchor", anchor[1])
    assert result.returncode == 2
    assert "DIRECTORY_SIGNATURE_INVALID" in result.stderr


def test_directory_verify_unsigned(tmp_path, anchor):
    source = tmp_path / "directory.source.json"
    source.write_text(json_format.MessageToJson(directory_source()), encoding="utf-8")
    result = hedui("directory", "verify", source, "--anchor", anchor[1])
    assert result.returncode == 2
    assert "DIRECTORY_UNSIGNED" in result.stderr
    assert "hedui directory sign" in result.stderr


def test_directory_verify_expired_english(tmp_path, anchor):
    anchor_key = SigningKey.load(anchor[0], "000000/MZ/ANCHOR")
    sign_as_issued(tmp_path / "old.json", directory_source(datetime.timedelta(seconds=-60)), anchor_key)
    result = hedui("--lang", "en", "directory", "verify", tmp_path / "old.json", "--anchor", anchor[1])
    assert result.returncode == 2
    assert "DIRECTORY_EXPIRED" in result.stderr
    assert "expired" in result.stderr
    assert not CJK.search(result.stderr)


# A node does not start on a directory it cannot trust.

def spoil_unsigned(fed: Federation) -> None:
    signed = json.loads(fed.directory_file.read_text(encoding="utf-8"))
    directory = directory_pb2.Directory.FromString(base64.b64decode(signed["directory"]))
    fed.directory_file.write_text(json_format.MessageToJson(directory), encoding="utf-8")


def spoil_other_key(fed: Federation) -> None:
    signed = json.loads(fed.directory_file.read_text(encoding="utf-8"))
    directory = directory_pb2.Directory.FromString(base64.b64decode(signed["directory"]))
    sign_as_issued(fed.directory_file, directory, SigningKey.generate("000000/MZ/ANCHOR"))


def spoil_byte(fed: Federation) -> None:
    edit_signed_bytes(fed.directory_file)


def spoil_expiry(fed: Federation) -> None:
    signed = json.loads(fed.directory_file.read_text(encoding="utf-8"))
    directory = directory_pb2.Directory.FromString(base64.b64decode(signed["directory"]))
    directory.expires_at.CopyFrom(to_timestamp(utcnow() - datetime.timedelta(minutes=1)))
    anchor_key = SigningKey.load(fed.root / "keys" / "anchor.key", "000000/MZ/ANCHOR")
    sign_as_issued(fed.directory_file, directory, anchor_key)


SPOILED = [
    (spoil_unsigned, "DIRECTORY_UNSIGNED"),
    (spoil_other_key, "DIRECTORY_SIGNATURE_INVALID"),
    (spoil_byte, "DIRECTORY_SIGNATURE_INVALID"),
    (spoil_expiry, "DIRECTORY_EXPIRED"),
]
SPOILED_IDS = ["unsigned", "other_key", "byte_edited", "expired"]


@pytest.fixture
def layout(tmp_path) -> Federation:
    return build_federation(tmp_path, standard_specs({}))


@pytest.mark.parametrize(("spoil", "reason"), SPOILED, ids=SPOILED_IDS)
async def test_node_start_refused(layout, spoil, reason):
    spoil(layout)
    with pytest.raises(HeduiError) as caught:
        await Node.start(load_config(layout.configs[PROVINCE]))
    assert caught.value.reason == reason
    assert str(layout.directory_file) in caught.value.message("zh")
    assert not (layout.configs[PROVINCE].parent / "data" / "audit.sqlite").exists()


@pytest.mark.parametrize(("spoil", "reason"), SPOILED, ids=SPOILED_IDS)
def test_node_run_refused(layout, spoil, reason):
    spoil(layout)
    result = hedui("node", "run", "--config", layout.configs[PROVINCE])
    assert result.returncode == 2
    assert reason in result.stderr
    assert str(layout.directory_file) in result.stderr
    assert CJK.search(result.stderr)
    assert "READY" not in result.stdout


async def test_node_start_valid(layout):
    """The unspoiled layout starts, so the refusals above come from the directory alone."""
    node = await Node.start(load_config(layout.configs[PROVINCE]))
    await node.close()
    assert node.id == PROVINCE


async def test_node_port_in_use(layout):
    node = await Node.start(load_config(layout.configs[PROVINCE]))
    server, _ = await start_server(node, layout.addresses[PROVINCE])
    try:
        with pytest.raises(HeduiError) as caught:
            await start_server(node, layout.addresses[PROVINCE])
    finally:
        await server.stop(0)
        await node.close()
    assert caught.value.reason == "CONFIG_INVALID"
    assert layout.addresses[PROVINCE] in caught.value.message("zh")
