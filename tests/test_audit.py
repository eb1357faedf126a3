"""Tests of the audit log: appends, durability, verification and each kind of tampering."""

from __future__ import annotations

import asyncio
import datetime
import hashlib
import hmac
import json
import pathlib
import sqlite3

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hedui.gateway import cli_audit
from hedui.gateway._audit_codec import canonical_bytes, chain_hash, entry_document, leaf_hash
from hedui.gateway._audit_store import document_row, row_document
from hedui.gateway.audit import (
    AuditConfigError,
    AuditEntry,
    AuditEntryError,
    AuditLog,
    CheckpointMismatchError,
    CheckpointSignatureError,
    EntryInsertedError,
    EntryMissingError,
    EntryModifiedError,
    EntryReorderedError,
    TruncatedLogError,
    find_entries,
    verify_log,
)

UTC = datetime.timezone.utc
NODE = "140000/MZ"
CALLER = "140100/MZ/HDXT"
KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
# Valid GB 11643 numbers: check characters X and 3.
ID_A = "11010519491231002X"
ID_B = "140105199003071233"
SIGNING_KEY = Ed25519PrivateKey.from_private_bytes(bytes(32))


def sign(message: bytes) -> tuple[str, bytes]:
    return "node-key-1", SIGNING_KEY.sign(message)


def verify_signature(key_id: str, message: bytes, signature: bytes) -> None:
    assert key_id == "node-key-1"
    SIGNING_KEY.public_key().verify(signature, message)


def make_entry(number: int = 0, **changes: object) -> AuditEntry:
    fields: dict[str, object] = dict(
        occurred_at=datetime.datetime(2025, 3, 1, 8, 0, tzinfo=UTC) + datetime.timedelta(seconds=number),
        request_id=f"req-{number}",
        caller=CALLER,
        node=NODE,
        action="verify",
        subject_id_numbers=(ID_A, ID_B),
        authorization_id="SQ-140100-2025-0001",
        categories=(1, 7),
        outcome="ok",
        reason="",
        answer_sha256=hashlib.sha256(b"answer %d" % number).digest(),
        nonce=b"nonce-%d" % number,
        issued_at=datetime.datetime(2025, 3, 1, 7, 59, 59, tzinfo=UTC),
    )
    fields.update(changes)
    return AuditEntry(**fields)  # type: ignore[arg-type]


async def open_log(path: pathlib.Path, **options: object) -> AuditLog:
    return await AuditLog.open(path, node_id=NODE, digest_key=KEY, signer=sign, **options)  # type: ignore[arg-type]


async def write_log(path: pathlib.Path, count: int, *, checkpoint: bool = False) -> None:
    log = await open_log(path)
    for number in range(1, count + 1):
        await log.append(make_entry(number))
    if checkpoint:
        await log.checkpoint()
    await log.close()


def tamper(path: pathlib.Path) -> sqlite3.Connection:
    """Open the file as an attacker with file access would: triggers dropped, autocommit."""
    conn = sqlite3.connect(path, isolation_level=None)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')
    return conn


def row_values(conn: sqlite3.Connection, seq: int) -> list[object]:
    return list(conn.execute("SELECT * FROM audit_entries WHERE seq = ?", (seq,)).fetchone())


# Appending and verifying.


async def test_append_then_verify(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.sqlite"
    log = await open_log(path)
    seqs = [await log.append(make_entry(number)) for number in range(1, 6)]
    checkpoint = await log.checkpoint()
    await log.close()

    result = verify_log(path, verify_checkpoint=verify_signature)

    assert seqs == [1, 2, 3, 4, 5]
    assert checkpoint.seq == 5
    assert result.entries == 5
    assert result.last_seq == 5
    assert result.checkpoints == 1
    assert result.head_hash == checkpoint.chain_hash
    assert result.signatures_verified


async def test_empty_log_verifies(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.sqlite"
    await (await open_log(path)).close()

    result = verify_log(path)

    assert result.entries == 0
    assert result.head_hash == bytes(32)
    assert not result.signatures_verified


async def test_automatic_checkpoints(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.sqlite"
    log = await open_log(path, checkpoint_every=3)
    for number in range(1, 8):
        await log.append(make_entry(number))
    await log.close()

    result = verify_log(path, verify_checkpoint=verify_signature)

    assert result.checkpoints == 2


async def test_checkpoint_without_signer_raises(tmp_path: pathlib.Path) -> None:
    log = await AuditLog.open(tmp_path / "audit.sqlite", node_id=NODE, digest_key=KEY)
    await log.append(make_entry(1))

    with pytest.raises(Exception, match="签名器"):
        await log.checkpoint()
    await log.close()


# Canonical bytes: a known-answer vector written out by hand.


def test_canonical_bytes_known_answer() -> None:
    entry = make_entry(1, subject_id_numbers=(ID_A,), answer_sha256=b"", nonce=b"\x01\x02", issued_at=None)
    digest = hmac.new(KEY, ID_A.encode(), hashlib.sha256).hexdigest()
    expected = (
        '{"action":"verify","answer_sha256":"","authorization_id":"SQ-140100-2025-0001",'
        '"caller":"140100/MZ/HDXT","categories":[1,7],"issued_at":null,"node":"140000/MZ",'
        '"nonce":"0102","occurred_at":"2025-03-01T08:00:01.000000Z","outcome":"ok","reason":"",'
        f'"request_id":"req-1","subjects":["{digest}"],"v":1}}'
    ).encode()

    canonical = canonical_bytes(entry_document(entry, KEY))

    assert canonical == expected
    assert leaf_hash(canonical) == hashlib.sha256(b"\x00" + expected).digest()
    assert chain_hash(bytes(32), leaf_hash(canonical)) == hashlib.sha256(b"\x01" + bytes(32) + leaf_hash(canonical)).digest()


def test_subject_digest_normalizes_case_and_legacy() -> None:
    lower = entry_document(make_entry(subject_id_numbers=("11010519491231002x",)), KEY)["subjects"]
    upper = entry_document(make_entry(subject_id_numbers=(ID_A,)), KEY)["subjects"]
    legacy = entry_document(make_entry(subject_id_numbers=("110105491231002",)), KEY)["subjects"]

    assert lower == upper
    assert legacy == upper


# Each kind of tampering.


async def test_edited_field_detected(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.sqlite"
    await write_log(path, 5)
    with tamper(path) as conn:
        stored_leaf = conn.execute("SELECT leaf_hash FROM audit_entries WHERE seq = 3").fetchone()[0]
        conn.execute("UPDATE audit_entries SET outcome = 'rejected' WHERE seq = 3")

    with pytest.raises(EntryModifiedError) as caught:
        verify_log(path)

    assert caught.value.seq == 3
    assert caught.value.expected == stored_leaf
    assert caught.value.found is not None
    assert caught.value.found != stored_leaf
    assert "第 3 条记录被修改" in str(caught.value)


async def test_deleted_row_detected(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.sqlite"
    await write_log(path, 5)
    with tamper(path) as conn:
        conn.execute("DELETE FROM audit_entries WHERE seq = 3")

    with pytest.raises(EntryMissingError) as caught:
        verify_log(path)

    assert caught.value.seq == 3


async def test_deleted_and_renumbered_detected(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.sqlite"
    await write_log(path, 5)
    with tamper(path) as conn:
        conn.execute("DELETE FROM audit_entries WHERE seq = 3")
        conn.execute("UPDATE audit_entries SET seq = -seq WHERE seq > 3")
        conn.execute("UPDATE audit_entries SET seq = -seq - 1 WHERE seq < 0")

    with pytest.raises(EntryMissingError) as caught:
        verify_log(path)

    assert caught.value.seq == 3


async def test_inserted_row_detected(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.sqlite"
    await write_log(path, 5)
    forged = entry_document(make_entry(99, outcome="rejected"), KEY)
    with tamper(path) as conn:
        previous = conn.execute("SELECT chain_hash FROM audit_entries WHERE seq = 2").fetchone()[0]
        conn.execute("UPDATE audit_entries SET seq = -seq WHERE seq >= 3")
        conn.execute("UPDATE audit_entries SET seq = -seq + 1 WHERE seq < 0")
        # A careful forger hashes the new row correctly and links it to seq 2.
        leaf = leaf_hash(canonical_bytes(forged))
        row = (3, *document_row(forged), leaf, chain_hash(previous, leaf))
        conn.execute(f"INSERT INTO audit_entries VALUES ({', '.join('?' * len(row))})", row)

    with pytest.raises(EntryInsertedError) as caught:
        verify_log(path)

    assert caught.value.seq == 3


async def test_inserted_row_with_bad_link_detected(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.sqlite"
    await write_log(path, 5)
    forged = entry_document(make_entry(99), KEY)
    with tamper(path) as conn:
        conn.execute("UPDATE audit_entries SET seq = -seq WHERE seq >= 3")
        conn.execute("UPDATE audit_entries SET seq = -seq + 1 WHERE seq < 0")
        row = (3, *document_row(forged), leaf_hash(canonical_bytes(forged)), bytes(32))
        conn.execute(f"INSERT INTO audit_entries VALUES ({', '.join('?' * len(row))})", row)

    with pytest.raises(EntryInsertedError) as caught:
        verify_log(path)

    assert caught.value.seq == 3


async def test_swapped_rows_detected(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.sqlite"
    await write_log(path, 5)
    with tamper(path) as conn:
        conn.execute("UPDATE audit_entries SET seq = -1 WHERE seq = 2")
        conn.execute("UPDATE audit_entries SET seq = 2 WHERE seq = 4")
        conn.execute("UPDATE audit_entries SET seq = 4 WHERE seq = -1")

    with pytest.raises(EntryReorderedError) as caught:
        verify_log(path)

    assert caught.value.seq == 2


async def test_truncated_tail_detected(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.sqlite"
    await write_log(path, 5, checkpoint=True)
    with tamper(path) as conn:
        conn.execute("DELETE FROM audit_entries WHERE seq >= 4")

    with pytest.raises(TruncatedLogError) as caught:
        verify_log(path, verify_checkpoint=verify_signature)

    assert caught.value.seq == 4


async def test_forged_checkpoint_signature_detected(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.sqlite"
    await write_log(path, 5, checkpoint=True)
    with tamper(path) as conn:
        signature = conn.execute("SELECT signature FROM audit_checkpoints").fetchone()[0]
        forged = bytes([signature[0] ^ 1]) + signature[1:]
        conn.execute("UPDATE audit_checkpoints SET signature = ?", (forged,))

    with pytest.raises(CheckpointSignatureError) as caught:
        verify_log(path, verify_checkpoint=verify_signature)

    assert caught.value.seq == 5


async def test_rewritten_chain_caught_by_checkpoint(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.sqlite"
    await write_log(path, 5, checkpoint=True)
    with tamper(path) as conn:
        conn.execute("UPDATE audit_entries SET outcome = 'rejected' WHERE seq = 2")
        # Recompute every hash from seq 2 on, so only the signed checkpoint can tell.
        previous = conn.execute("SELECT chain_hash FROM audit_entries WHERE seq = 1").fetchone()[0]
        for seq in range(2, 6):
            document = _document_of(conn, seq)
            leaf = leaf_hash(canonical_bytes(document))
            previous = chain_hash(previous, leaf)
            conn.execute("UPDATE audit_entries SET leaf_hash = ?, chain_hash = ? WHERE seq = ?", (leaf, previous, seq))

    with pytest.raises(CheckpointMismatchError) as caught:
        verify_log(path, verify_checkpoint=verify_signature)

    assert caught.value.seq == 5


def _document_of(conn: sqlite3.Connection, seq: int) -> dict[str, object]:
    return row_document(tuple(row_values(conn, seq)))


async def test_triggers_reject_update_and_delete(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.sqlite"
    await write_log(path, 2)
    conn = sqlite3.connect(path, isolation_level=None)

    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit_entries SET outcome = 'rejected' WHERE seq = 1")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit_entries WHERE seq = 2")
    conn.close()
    assert verify_log(path).entries == 2


# Privacy and search.


async def test_file_holds_no_raw_id_number(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.sqlite"
    log = await open_log(path)
    await log.append(make_entry(1))
    raw_while_open = b"".join(candidate.read_bytes() for candidate in tmp_path.iterdir())
    await log.close()
    raw_after_close = b"".join(candidate.read_bytes() for candidate in tmp_path.iterdir())

    for raw in (raw_while_open, raw_after_close):
        for number in (ID_A, ID_B, ID_A.lower(), ID_B[:6] + ID_B[8:17]):
            assert number.encode() not in raw
            assert number.encode("utf-16-le") not in raw


async def test_find_by_subject(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.sqlite"
    log = await open_log(path)
    await log.append(make_entry(1))
    await log.append(make_entry(2, subject_id_numbers=(ID_B,)))
    found_a = await log.find_by_subject(ID_A.lower())
    found_b = await log.find_by_subject(ID_B)
    await log.close()

    assert [entry.seq for entry in found_a] == [1]
    assert [entry.seq for entry in found_b] == [1, 2]
    assert found_a[0].subject_digests[0] == log.subject_digest(ID_A)
    assert find_entries(path, digest_key=KEY, id_number=ID_A) == found_a


async def test_digest_differs_under_other_key(tmp_path: pathlib.Path) -> None:
    first = await open_log(tmp_path / "one.sqlite")
    second = await AuditLog.open(tmp_path / "two.sqlite", node_id=NODE, digest_key=OTHER_KEY)

    assert first.subject_digest(ID_A) != second.subject_digest(ID_A)
    await first.close()
    await second.close()


async def test_find_with_wrong_key_raises(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.sqlite"
    await write_log(path, 1)

    with pytest.raises(AuditConfigError):
        find_entries(path, digest_key=OTHER_KEY, id_number=ID_A)


async def test_recent_returns_replay_fields(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.sqlite"
    await write_log(path, 5)
    log = await open_log(path)
    since = datetime.datetime(2025, 3, 1, 8, 0, 4, tzinfo=UTC)

    recent = await log.recent(since)
    await log.close()

    assert [entry.seq for entry in recent] == [4, 5]
    assert recent[0].caller == CALLER
    assert recent[0].request_id == "req-4"
    assert recent[0].nonce == b"nonce-4"
    assert recent[0].issued_at == datetime.datetime(2025, 3, 1, 7, 59, 59, tzinfo=UTC)


# Concurrency, validation and durability.


async def test_concurrent_appends_chain(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.sqlite"
    log = await open_log(path, checkpoint_every=64)

    async def appender(task: int) -> list[int]:
        return [await log.append(make_entry(task * 4 + index)) for index in range(4)]

    results = await asyncio.gather(*(appender(task) for task in range(50)))
    await log.close()

    seqs = sorted(seq for result in results for seq in result)
    assert seqs == list(range(1, 201))
    assert verify_log(path, verify_checkpoint=verify_signature).entries == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("occurred_at", datetime.datetime(2025, 3, 1, 8, 0)),
        ("issued_at", datetime.datetime(2025, 3, 1, 8, 0)),
        ("caller", "taiyuan civil affairs"),
        ("caller", "14010/MZ"),
        ("node", "140100/MZ"),
        ("action", "Verify!"),
        ("outcome", ""),
        ("reason", "expired"),
        ("request_id", "req\n1"),
        ("categories", (1, -2)),
        ("subject_id_numbers", ("",)),
        ("answer_sha256", b"short"),
        ("nonce", bytes(65)),
    ],
)
async def test_invalid_entry_writes_nothing(tmp_path: pathlib.Path, field: str, value: object) -> None:
    path = tmp_path / "audit.sqlite"
    log = await open_log(path)

    with pytest.raises(AuditEntryError) as caught:
        await log.append(make_entry(1, **{field: value}))
    await log.append(make_entry(2))
    await log.close()

    assert caught.value.field == field
    assert "审计记录字段" in str(caught.value)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT seq, request_id FROM audit_entries").fetchall() == [(1, "req-2")]


async def test_entries_survive_reopen(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.sqlite"
    await write_log(path, 3)

    log = await open_log(path)
    seq = await log.append(make_entry(4))
    found = await log.find_by_subject(ID_A)
    await log.close()

    assert seq == 4
    assert [entry.seq for entry in found] == [1, 2, 3, 4]
    assert verify_log(path).last_seq == 4


async def test_reopen_with_other_key_raises(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.sqlite"
    await write_log(path, 1)

    with pytest.raises(AuditConfigError):
        await AuditLog.open(path, node_id=NODE, digest_key=OTHER_KEY)


async def test_reopen_as_other_node_raises(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "audit.sqlite"
    await write_log(path, 1)

    with pytest.raises(AuditConfigError):
        await AuditLog.open(path, node_id="140100/MZ", digest_key=KEY)


async def test_append_after_close_raises(tmp_path: pathlib.Path) -> None:
    log = await open_log(tmp_path / "audit.sqlite")
    await log.close()

    with pytest.raises(Exception, match="已关闭"):
        await log.append(make_entry(1))


# Command line.


def _write_public_key(path: pathlib.Path) -> pathlib.Path:
    import base64

    from cryptography.hazmat.primitives import serialization

    raw = SIGNING_KEY.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    document = {"node_id": NODE, "key_id": "node-key-1", "algorithm": "ed25519", "public_key": base64.b64encode(raw).decode()}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


async def test_cli_verify_intact(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "audit.sqlite"
    await write_log(path, 3, checkpoint=True)
    public_key = _write_public_key(tmp_path / "node.pub")

    code = cli_audit.main(["verify", "--db", str(path), "--public-key", str(public_key), "--lang", "zh"])

    output = capsys.readouterr().out
    assert code == 0
    assert "审计链完整：共 3 条记录，1 个签名检查点" in output
    assert "未经验证" not in output


async def test_cli_verify_tampered_english(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "audit.sqlite"
    await write_log(path, 3)
    with tamper(path) as conn:
        conn.execute("UPDATE audit_entries SET caller = '140100/MZ' WHERE seq = 2")

    code = cli_audit.main(["verify", "--db", str(path), "--lang", "en"])

    assert code == 1
    assert "entry 2 was modified" in capsys.readouterr().out


async def test_cli_verify_tampered_chinese(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HEDUI_LANG", raising=False)
    path = tmp_path / "audit.sqlite"
    await write_log(path, 3)
    with tamper(path) as conn:
        conn.execute("UPDATE audit_entries SET caller = '140100/MZ' WHERE seq = 2")

    code = cli_audit.main(["verify", "--db", str(path)])

    assert code == 1
    assert "审计链第 2 条记录被修改：期望摘要" in capsys.readouterr().out


async def test_cli_verify_wrong_public_key(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "audit.sqlite"
    await write_log(path, 2, checkpoint=True)
    public_key = _write_public_key(tmp_path / "node.pub")
    document = json.loads(public_key.read_text())
    document["key_id"] = "another-key"
    public_key.write_text(json.dumps(document))

    code = cli_audit.main(["verify", "--db", str(path), "--public-key", str(public_key), "--lang", "en"])

    assert code == 1
    assert "checkpoint signature at entry 2 is invalid" in capsys.readouterr().out


async def test_cli_find_masks_id_number(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "audit.sqlite"
    await write_log(path, 2)
    key_file = tmp_path / "audit.key"
    key_file.write_bytes(KEY)

    code = cli_audit.main(["find", "--db", str(path), "--key", str(key_file), "--id-number", ID_A, "--lang", "zh"])

    output = capsys.readouterr().out
    assert code == 0
    assert "共有 2 条审计记录" in output
    assert ID_A not in output
    assert "1101**********002X" in output


def test_cli_verify_missing_file(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli_audit.main(["verify", "--db", str(tmp_path / "absent.sqlite"), "--lang", "zh"])

    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"错误 [CONFIG_MISSING]: 无法验证审计日志：找不到文件 {tmp_path / 'absent.sqlite'}：文件不存在")
    assert "data_dir" in err


def test_cli_verify_missing_file_english(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli_audit.main(["verify", "--db", str(tmp_path), "--lang", "en"])

    assert code == 2
    assert capsys.readouterr().err.startswith(f"error [CONFIG_MISSING]: cannot verify the audit log: File {tmp_path} "
                                              "not found: it is a folder, not a file")


async def test_cli_verify_option_errors_have_codes(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "audit.sqlite"
    await write_log(path, 1)
    not_a_key = tmp_path / "node.pub"
    not_a_key.write_text("not json", encoding="utf-8")

    cases = [
        (["--directory", str(tmp_path / "directory.json")], "错误 [INVALID_OPTION]: 无法验证审计日志：命令行参数 --directory --anchor"),
        (["--public-key", str(tmp_path / "absent.pub")], f"错误 [CONFIG_MISSING]: 无法验证审计日志：找不到文件 {tmp_path / 'absent.pub'}"),
        (["--public-key", str(not_a_key)], f"错误 [KEY_INVALID]: 无法验证审计日志：密钥文件 {not_a_key} 无效"),
    ]
    for options, expected in cases:
        code = cli_audit.main(["verify", "--db", str(path), *options, "--lang", "zh"])

        assert code == 2, options
        assert capsys.readouterr().err.startswith(expected), options


def test_cli_find_missing_key_has_code(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli_audit.main(["find", "--db", str(tmp_path / "absent.sqlite"), "--key", str(tmp_path / "absent.key"),
                           "--id-number", ID_A, "--lang", "zh"])

    assert code == 2
    assert capsys.readouterr().err.startswith("错误 [CONFIG_MISSING]: 无法查询审计日志：找不到文件")


async def test_cli_find_wrong_key_has_code(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "audit.sqlite"
    await write_log(path, 1)
    key_file = tmp_path / "other.key"
    key_file.write_bytes(b"k" * 32)

    code = cli_audit.main(["find", "--db", str(path), "--key", str(key_file), "--id-number", ID_A, "--lang", "zh"])

    assert code == 2
    assert capsys.readouterr().err.startswith("错误 [AUDIT_CONFIG_INVALID]: 无法查询审计日志：审计密钥与该日志不匹配")
