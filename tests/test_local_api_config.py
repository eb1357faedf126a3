"""The [local_api] configuration, the token commands, the peer check and the node process serving the API."""

from __future__ import annotations

import asyncio
import json
import os
import pathlib
import signal
import socket
import stat
import sys

import aiohttp
import pytest
from aiohttp.test_utils import make_mocked_request

from federation_harness import CITY, standard_specs
from hedui.gateway import _local_api_callers as callers
from hedui.gateway.cli import main
from hedui.gateway.config import load_config
from hedui.gateway.errors import HeduiError
from hedui.gateway.federation import build_federation, free_port
from hedui.gateway.local_api import LocalApi, check_local_peer, peer_is_local
from hedui.gateway._local_api_errors import ApiError
from hedui.gateway.node import Node

NODE_TABLE = """\
[node]
id = "140100/MZ"
listen = "127.0.0.1:7443"
data_dir = "data"
key_file = "k.key"
directory = "directory.json"
trust_anchor = "anchor.pub"
audit_key_file = "audit.key"
plaintext = true
"""


def write_config(folder: pathlib.Path, local_api: str) -> pathlib.Path:
    path = folder / "node.toml"
    path.write_text(NODE_TABLE + "\n[local_api]\n" + local_api, encoding="utf-8")
    return path


# Configuration.

@pytest.mark.parametrize("listen", ["0.0.0.0:8780", "192.0.2.10:8780", "[::]:8780", "localhost:8780",
                                    "127.0.0.2:8780", "[2001:db8::1]:8780"])
def test_non_loopback_listen_refused(tmp_path: pathlib.Path, listen: str) -> None:
    path = write_config(tmp_path, f'listen = "{listen}"\n')

    with pytest.raises(HeduiError) as caught:
        load_config(path)

    assert caught.value.reason == "CONFIG_INVALID"
    assert caught.value.field == "local_api.listen"
    assert "loopback" in caught.value.message("en")
    assert "回环" in caught.value.message("zh")


@pytest.mark.parametrize(("listen", "host", "port"), [
    ("127.0.0.1:8780", "127.0.0.1", 8780),
    ("[::1]:8780", "::1", 8780),
    ("127.0.0.1:0", "127.0.0.1", 0),
])
def test_loopback_listen_accepted(tmp_path: pathlib.Path, listen: str, host: str, port: int) -> None:
    config = load_config(write_config(tmp_path, f'listen = "{listen}"\n'))

    assert config.local_api is not None
    assert (config.local_api.host, config.local_api.port) == (host, port)
    assert config.local_api.unix_path is None
    assert config.local_api.callers_file == tmp_path / "api_callers.json"


def test_unix_socket_listen(tmp_path: pathlib.Path) -> None:
    config = load_config(write_config(tmp_path, 'listen = "unix:run/api.sock"\ncallers_file = "secrets/callers.json"\n'))

    assert config.local_api is not None
    assert config.local_api.unix_path == tmp_path / "run" / "api.sock"
    assert config.local_api.host is None
    assert config.local_api.callers_file == tmp_path / "secrets" / "callers.json"


@pytest.mark.parametrize(("table", "field"), [
    ('listen = "127.0.0.1:8780"\nport = 1\n', "local_api.port"),
    ('callers_file = "c.json"\n', "local_api.listen"),
    ("listen = 8780\n", "local_api.listen"),
    ('listen = "127.0.0.1"\n', "local_api.listen"),
    ('listen = "127.0.0.1:70000"\n', "local_api.listen"),
    ('listen = "unix:"\n', "local_api.listen"),
    ('listen = "127.0.0.1:8780"\nmax_body_bytes = 10\n', "local_api.max_body_bytes"),
    ('listen = "127.0.0.1:8780"\ncallers_file = ""\n', "local_api.callers_file"),
], ids=["unknown key", "no listen", "listen number", "no port", "port range", "empty socket", "tiny body", "empty callers"])
def test_local_api_table_checked(tmp_path: pathlib.Path, table: str, field: str) -> None:
    with pytest.raises(HeduiError) as caught:
        load_config(write_config(tmp_path, table))

    assert caught.value.reason == "CONFIG_INVALID"
    assert caught.value.field == field


def test_without_table_no_api(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "node.toml"
    path.write_text(NODE_TABLE, encoding="utf-8")

    assert load_config(path).local_api is None


# Token commands and the callers file.

def test_token_commands(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_config(tmp_path, 'listen = "127.0.0.1:8780"\n')

    assert main(["api", "token", "add", "hdxt-case-system", "--config", str(path)]) == 0
    printed = capsys.readouterr().out
    token = next(line for line in printed.splitlines() if line.startswith(callers.TOKEN_PREFIX))
    stored = (tmp_path / "api_callers.json").read_text(encoding="utf-8")
    assert token not in stored
    assert callers.token_digest(token).hex() in stored
    assert stat.S_IMODE((tmp_path / "api_callers.json").stat().st_mode) == 0o600

    assert main(["api", "token", "list", "--config", str(path)]) == 0
    listing = capsys.readouterr().out
    assert "hdxt-case-system" in listing
    assert token not in listing

    assert main(["api", "token", "add", "hdxt-case-system", "--config", str(path)]) == 2
    assert "INVALID_OPTION" in capsys.readouterr().err

    assert main(["api", "token", "remove", "hdxt-case-system", "--config", str(path)]) == 0
    assert callers.read_callers(tmp_path / "api_callers.json") == []
    assert main(["api", "token", "remove", "hdxt-case-system", "--config", str(path)]) == 2


def test_token_command_needs_table(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "node.toml"
    path.write_text(NODE_TABLE, encoding="utf-8")

    assert main(["api", "token", "add", "x", "--config", str(path)]) == 2
    assert "[local_api]" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["", "has space", "semi;colon", "x" * 65])
def test_caller_name_checked(tmp_path: pathlib.Path, name: str) -> None:
    with pytest.raises(HeduiError) as caught:
        callers.add_caller(tmp_path / "callers.json", name)

    assert caught.value.reason == "INVALID_OPTION"
    assert not (tmp_path / "callers.json").exists()


def test_registry_matches_only_its_tokens(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "callers.json"
    first = callers.add_caller(path, "case-system")
    second = callers.add_caller(path, "民政业务系统")
    registry = callers.CallerRegistry(path)

    assert registry.authenticate(first) == "case-system"
    assert registry.authenticate(second) == "民政业务系统"
    assert registry.authenticate(first + "x") is None
    assert registry.authenticate("") is None


def test_damaged_callers_file_keeps_last_good(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "callers.json"
    token = callers.add_caller(path, "case-system")
    registry = callers.CallerRegistry(path)
    assert registry.authenticate(token) == "case-system"

    path.write_text("{not json", encoding="utf-8")

    assert registry.authenticate(token) == "case-system"
    with pytest.raises(HeduiError) as caught:
        callers.read_callers(path)
    assert caught.value.reason == "CONFIG_INVALID"


# The peer check.

@pytest.mark.parametrize(("peername", "family", "local"), [
    (("127.0.0.1", 50000), socket.AF_INET, True),
    (("::1", 50000, 0, 0), socket.AF_INET6, True),
    (("::ffff:127.0.0.1", 50000, 0, 0), socket.AF_INET6, True),
    ("", socket.AF_UNIX, True),
    (("192.0.2.7", 50000), socket.AF_INET, False),
    (("::ffff:192.0.2.7", 50000, 0, 0), socket.AF_INET6, False),
    (("2001:db8::7", 50000, 0, 0), socket.AF_INET6, False),
    (None, None, False),
])
def test_peer_is_local(peername: object, family: int | None, local: bool) -> None:
    assert peer_is_local(peername, family) is local


class _Transport:
    """A transport that reports a fixed peer, as an asyncio transport's get_extra_info does."""

    def __init__(self, peername: tuple[str, int]) -> None:
        self.peername = peername
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)

    def get_extra_info(self, name: str, default: object = None) -> object:
        return {"peername": self.peername, "socket": self.sock}.get(name, default)


def test_remote_peer_rejected_403() -> None:
    transport = _Transport(("203.0.113.9", 41000))
    try:
        request = make_mocked_request("POST", "/v1/verifications", transport=transport)

        with pytest.raises(ApiError) as caught:
            check_local_peer(request)
    finally:
        transport.sock.close()

    assert caught.value.status == 403
    assert caught.value.reason == "API_PEER_NOT_LOCAL"
    assert "203.0.113.9" in caught.value.message_en


# The API as a server.

@pytest.fixture
def city_config(tmp_path: pathlib.Path) -> pathlib.Path:
    """A laid-out federation (not started) whose city node.toml serves the API on a Unix socket."""
    fed = build_federation(tmp_path / "fed", standard_specs({}))
    path = fed.configs[CITY]
    with path.open("a", encoding="utf-8") as stream:
        stream.write('\n[local_api]\nlisten = "unix:api.sock"\n')
    return path


async def test_unix_socket_serves(city_config: pathlib.Path) -> None:
    config = load_config(city_config)
    assert config.local_api is not None
    token = callers.add_caller(config.local_api.callers_file, "case-system")
    node = await Node.start(config)
    api = await LocalApi.start(node, config.local_api)
    try:
        assert api.address == f"unix:{config.local_api.unix_path}"
        connector = aiohttp.UnixConnector(path=str(config.local_api.unix_path))
        async with aiohttp.ClientSession(connector=connector) as session:
            async with session.get("http://localhost/v1/health") as response:
                assert response.status == 200
                assert (await response.json())["node_id"] == CITY
            async with session.post("http://localhost/v1/verifications", json={},
                                    headers={"Authorization": f"Bearer {token}"}) as response:
                assert response.status == 400
                assert (await response.json())["reason"] == "API_MISSING_FIELD"
    finally:
        await api.stop()
        await node.close()


async def test_busy_port_is_config_error(city_config: pathlib.Path) -> None:
    config = load_config(city_config)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as occupier:
        occupier.bind(("127.0.0.1", 0))
        occupier.listen()
        port = occupier.getsockname()[1]
        local_api = config.local_api.__class__(f"127.0.0.1:{port}", config.local_api.callers_file,  # type: ignore[union-attr]
                                               host="127.0.0.1", port=port)
        node = await Node.start(config)
        try:
            with pytest.raises(HeduiError) as caught:
                await LocalApi.start(node, local_api)
        finally:
            await node.close()

    assert caught.value.reason == "CONFIG_INVALID"
    assert caught.value.field == "local_api.listen"


async def test_node_process_serves_and_stops(tmp_path: pathlib.Path) -> None:
    fed = build_federation(tmp_path / "fed", standard_specs({}))
    port = free_port()
    with fed.configs[CITY].open("a", encoding="utf-8") as stream:
        stream.write(f'\n[local_api]\nlisten = "127.0.0.1:{port}"\n')
    log_path = tmp_path / "node.log"
    with log_path.open("wb") as log_file:
        process = await asyncio.create_subprocess_exec(
            # No -v: a node logs at info level by default, so the stop line must still appear.
            sys.executable, "-m", "hedui.gateway.cli", "node", "run", "--config", str(fed.configs[CITY]),
            stdout=asyncio.subprocess.PIPE, stderr=log_file, stdin=asyncio.subprocess.DEVNULL,
            env=dict(os.environ, PYTHONUNBUFFERED="1"))
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), 30)
        assert line.decode().startswith(f"READY {CITY}"), log_path.read_text(errors="replace")[-2000:]

        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/v1/health") as response:
                assert response.status == 200
                assert json.loads(await response.text())["node_id"] == CITY

        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), 15)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()

    assert code == 0
    log_text = log_path.read_text(encoding="utf-8", errors="replace")
    assert "local api stopped" in log_text
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0
