"""The review input line format and the results file, without a federation."""

from __future__ import annotations

import base64
import re
import json
import pathlib

import pytest

from hedui.gateway.keys import SigningKey
from hedui.gateway.timeutil import utcnow
from hedui.sdk import (AuthorizationBuilder, ResultsFile, ReviewCase, ReviewFileError, ReviewResult, case_to_json,
                       check_cases, parse_case, read_cases, sign_authorization)
from hedui.v1 import common_pb2 as C

MEMBER = "11010519491231002X"
OTHER_MEMBER = "110105194912310038"


def signed_authorization(record_id: str = "REC-1"):
    now = utcnow()
    record = (AuthorizationBuilder().record_id(record_id).issuer("140100/MZ").grantee("140100/MZ")
              .member(MEMBER, "张三", "02").categories(C.DATA_CATEGORY_PENSION).purpose(C.PURPOSE_PERIODIC_REVIEW)
              .valid(now, now.replace(year=now.year + 1)).paper_form(b"letter", "王晓燕").build())
    return sign_authorization(record, SigningKey.generate("140100/MZ"))


def case_line(case_id: str = "FC-1", **changes: object) -> str:
    document = json.loads(case_to_json(ReviewCase(case_id, signed_authorization(), (MEMBER,), (C.DATA_CATEGORY_PENSION,))))
    document.update(changes)
    return json.dumps(document, ensure_ascii=False)


def test_case_line_round_trip() -> None:
    case = ReviewCase("FC-1", signed_authorization(), (MEMBER, OTHER_MEMBER),
                      (C.DATA_CATEGORY_PENSION, C.DATA_CATEGORY_VEHICLE), C.PURPOSE_PERIODIC_REVIEW, "TY-DB-1")

    parsed = parse_case(case_to_json(case))

    assert parsed == case
    assert json.loads(case_to_json(case))["categories"] == ["PENSION", "VEHICLE"]


def test_case_line_defaults_and_prefixed_names() -> None:
    document = json.loads(case_line())
    del document["purpose"], document["case_reference"]
    document["categories"] = ["DATA_CATEGORY_PENSION"]

    parsed = parse_case(json.dumps(document))

    assert parsed.purpose == C.PURPOSE_PERIODIC_REVIEW
    assert parsed.case_reference == ""
    assert parsed.categories == (C.DATA_CATEGORY_PENSION,)


def test_lower_case_x_member_is_normalised() -> None:
    assert parse_case(case_line(members=[MEMBER.lower()])).members == (MEMBER,)


@pytest.mark.parametrize(("line", "expected"), [
    ("{not json", "JSON"),
    ("[1, 2]", "JSON 对象"),
    (case_line(extra=1), "未知字段 extra"),
    (json.dumps({"case_id": "FC-1"}), "缺少字段 authorization"),
    (case_line(case_id=""), "case_id"),
    (case_line(case_id="FC 1"), "case_id"),
    (case_line(case_id=MEMBER), "不能是公民身份号码"),
    (case_line(authorization="@@@"), "base64"),
    (case_line(authorization=base64.b64encode(b"\xff\xff").decode()), "base64"),
    (case_line(authorization=""), "缺少授权记录或签名"),
    (case_line(members=[]), "members"),
    (case_line(members=["110105194912310037"]), "members 的第 1 项"),
    (case_line(members=[17]), "members 的第 1 项"),
    (case_line(categories=["PENSIONS"]), "PENSIONS"),
    (case_line(categories=["UNSPECIFIED"]), "UNSPECIFIED"),
    (case_line(purpose="REVIEW"), "purpose"),
    (case_line(case_reference=5), "case_reference"),
])
def test_bad_line_names_the_problem(tmp_path: pathlib.Path, line: str, expected: str) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(case_line("FC-0") + "\n\n" + line + "\n", encoding="utf-8")

    with pytest.raises(ReviewFileError) as caught:
        list(read_cases(path))

    assert caught.value.line == 3
    assert expected in caught.value.message("zh")
    assert "Line 3" in caught.value.message("en")


def test_bad_member_message_masks_number(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(case_line(members=["110105194912310037"]) + "\n", encoding="utf-8")

    with pytest.raises(ReviewFileError) as caught:
        list(read_cases(path))

    assert "110105194912310037" not in caught.value.message("zh")


def test_check_cases_lists_every_bad_line(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "cases.jsonl"
    lines = [case_line("FC-1").encode(), b"{", case_line("FC-2").encode(), case_line("FC-1").encode(), b"\xff\xfe",
             case_line("FC-3").encode()]
    path.write_bytes(b"\n".join(lines) + b"\n")

    case_ids, errors = check_cases(path)

    assert case_ids == {"FC-1", "FC-2", "FC-3"}
    assert [error.line for error in errors] == [2, 4, 5]
    assert "已出现" in errors[1].message("zh")
    assert "UTF-8" in errors[2].message("zh")


def test_check_cases_stops_at_max_errors(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text("{\n" * 50, encoding="utf-8")

    _, errors = check_cases(path, max_errors=5)

    assert [error.line for error in errors] == [1, 2, 3, 4, 5]


def result(case_id: str, status: str = "ok") -> ReviewResult:
    reason = "NODE_TIMEOUT" if status == "failed" else ""
    return ReviewResult(case_id, status, 12, utcnow(), None, reason, "消息" if reason else "", "message" if reason else "")


def test_results_file_records_finished(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "results.jsonl"
    with ResultsFile.open(path) as results:
        results.append(result("A"))
        results.append(result("B", "failed"))

    with ResultsFile.open(path) as reopened:
        assert reopened.finished == {"A": "ok", "B": "failed"}
        assert reopened.dropped_line == 0
    assert path.stat().st_mode & 0o777 == 0o600
    assert json.loads(path.read_text(encoding="utf-8").splitlines()[1])["reason"] == "NODE_TIMEOUT"


def test_results_file_drops_cut_last_line(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "results.jsonl"
    with ResultsFile.open(path) as results:
        results.append(result("A"))
    with path.open("ab") as handle:
        handle.write(b'{"case_id": "B", "sta')

    with ResultsFile.open(path) as reopened:
        assert reopened.dropped_line == 2
        assert reopened.finished == {"A": "ok"}
        reopened.append(result("B"))

    assert [json.loads(line)["case_id"] for line in path.read_text(encoding="utf-8").splitlines()] == ["A", "B"]


def test_results_file_rejects_foreign_lines(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "results.jsonl"
    content = '{"case_id": "A", "status": "ok"}\nname,age\n{"case_id": "B", "status": "ok"}\n'
    path.write_text(content, encoding="utf-8")

    with pytest.raises(ReviewFileError) as caught:
        ResultsFile.open(path)

    assert caught.value.reason == "REVIEW_RESULTS_INVALID"
    assert caught.value.line == 2
    assert path.read_text(encoding="utf-8") == content


def test_results_file_keeps_foreign_last_line(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("some notes without a newline", encoding="utf-8")

    with pytest.raises(ReviewFileError) as caught:
        ResultsFile.open(path)

    assert caught.value.line == 1
    assert path.read_text(encoding="utf-8") == "some notes without a newline"


def test_results_file_rejects_unknown_status(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "results.jsonl"
    path.write_text('{"case_id": "A", "status": "done"}\n', encoding="utf-8")

    with pytest.raises(ReviewFileError) as caught:
        ResultsFile.open(path)

    assert "status" in caught.value.message("en")


def test_results_file_is_locked_while_open(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "results.jsonl"
    with ResultsFile.open(path):
        with pytest.raises(ReviewFileError) as caught:
            ResultsFile.open(path)
        assert caught.value.reason == "REVIEW_RESULTS_LOCKED"

    ResultsFile.open(path).close()


def test_retry_removes_only_those_statuses(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "results.jsonl"
    with ResultsFile.open(path) as results:
        for case_id, status in (("A", "ok"), ("B", "failed"), ("C", "partial"), ("D", "failed")):
            results.append(result(case_id, status))

    with ResultsFile.open(path, retry=("failed",)) as retried:
        assert retried.removed == 2
        assert retried.finished == {"A": "ok", "C": "partial"}
        # The replacement file is the one locked now.
        with pytest.raises(ReviewFileError):
            ResultsFile.open(path)
        retried.append(result("B"))

    assert [json.loads(line)["case_id"] for line in path.read_text(encoding="utf-8").splitlines()] == ["A", "C", "B"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.jsonl"]


def test_bad_member_message_has_one_full_stop(tmp_path: pathlib.Path) -> None:
    # The ID number's own message ends with a full stop, and the line message adds its own after it.
    path = tmp_path / "cases.jsonl"
    path.write_text(case_line(members=["110105194912310037"]) + "\n", encoding="utf-8")

    with pytest.raises(ReviewFileError) as caught:
        list(read_cases(path))

    assert "。。" not in caught.value.message("zh")
    assert "校验码。请修正该行" in caught.value.message("zh")
    assert ".." not in caught.value.message("en")


@pytest.mark.parametrize("line", ["x", "{not json", '{"case_id" 1}', '{"case_id": 1 "x": 2}', '{"a": 1} extra',
                                  '{"case_id": "FC', '{"case_id": "\\q"}', '{"case_id": "\\u12"}', '{"a": 1,}',
                                  '{"case_id": "a\tb"}'])
def test_bad_json_line_chinese_has_no_english(tmp_path: pathlib.Path, line: str) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(line + "\n", encoding="utf-8")

    with pytest.raises(ReviewFileError) as caught:
        list(read_cases(path))

    chinese, english = caught.value.detail
    assert chinese.startswith("不是有效的 JSON（第 ")
    # JSON and the \u of a Unicode escape are the only Latin letters the Chinese text needs.
    assert re.search("[A-Za-z]", chinese.replace("JSON", "").replace("\\u", "")) is None, chinese
    assert "格式错误" not in chinese
    assert english.startswith("not valid JSON (column ")
