"""The printable HTML report of real verifications: `hedui demo --html` and a federation with a failing department.

The demo test runs the command as a user does and compares the HTML it
wrote with the JSON report of the same run. The federation test runs real
department adapters against stand-in systems on loopback, makes the 人社
system answer HTTP 503, and checks that the page shows that source as
unavailable next to the other departments' records.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import pathlib
import subprocess
import sys

import pytest
from google.protobuf import json_format

from federation_harness import ALL_CATEGORIES, BDC, GA, RS, start_federation
from hedui.adapters.standin import make_dataset, write_bdc_database
from hedui.adapters.standin.http_service import serve
from hedui.sdk import render_html
from hedui.sdk.render_html import CaseDetails
from hedui.v1 import common_pb2 as C
from hedui.v1 import records_pb2 as R
from test_render_html import CHROMIUM_FLAGS, chromium_path, expected_fragments, row_selector

DEMO_TIMEOUT_SECONDS = 90
# Short adapter settings keep a failing department near one second.
HTTP_ADAPTER = {"timeout_seconds": 2.0, "retries": 1, "backoff_seconds": 0.05, "breaker_failures": 50}


def run_demo(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("HEDUI_LANG", None)
    return subprocess.run([sys.executable, "-m", "hedui.gateway.cli", "demo", *args], capture_output=True, text=True,
                          timeout=DEMO_TIMEOUT_SECONDS, env=env, stdin=subprocess.DEVNULL)


def test_demo_rejects_existing_html_file(tmp_path: pathlib.Path) -> None:
    existing = tmp_path / "report.html"
    existing.write_text("earlier report", encoding="utf-8")
    done = run_demo("--html", str(existing))

    assert done.returncode == 2
    assert "INVALID_OPTION" in done.stderr
    assert existing.read_text(encoding="utf-8") == "earlier report"


def test_demo_rejects_missing_folder(tmp_path: pathlib.Path) -> None:
    done = run_demo("--html", str(tmp_path / "absent" / "report.html"))

    assert done.returncode == 2
    assert "INVALID_OPTION" in done.stderr


@pytest.mark.slow
def test_demo_html_matches_json(tmp_path: pathlib.Path) -> None:
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'")
    chromium_path()
    path = tmp_path / "report.html"
    done = run_demo("--json", "--html", str(path))

    assert done.returncode == 0, done.stderr[-2000:]
    document = json.loads(done.stdout)

    def check(page) -> None:
        assert page.locator("h1").inner_text() == "社会救助家庭经济状况核对报告"
        assert document["request_id"] in page.locator("section.case").inner_text()
        assert "TY-2026-DB-0001" in page.locator("section.case").inner_text()
        for source in document["sources"]:
            row = page.locator(f'section.sources tr[data-source="{source["node"]}"]').inner_text()
            assert ("已应答" if source["status"] == "ANSWERED" else "无记录") in row
            for record_json in source["records"]:
                found = json_format.ParseDict(record_json, R.Record())
                texts = page.locator(row_selector(found.id_number, found.category, source["node"])).all_inner_texts()
                assert any(all(fragment in text for fragment in expected_fragments(found)) for text in texts), \
                    (record_json, texts)
        income = page.locator('section.totals tr[data-total="income"]').inner_text()
        assert f'{document["totals"]["monthly_income_fen"] / 100:,.2f} 元' in income

    check_in_browser(path, check)


def household_known_to_ga_and_bdc(dataset):
    """Return the first household that both the 公安 and the 不动产 tables mention, so the page has records."""
    tables = [json.dumps(dataset.tables[system], ensure_ascii=False) for system in ("ga", "bdc")]
    for household in dataset.households:
        if all(any(person.id_number in text for person in household.members) for text in tables):
            return household
    raise AssertionError("no household has rows at both 公安 and 不动产")


@pytest.fixture
async def failing_rs(tmp_path):
    """A federation whose departments read stand-in systems; the 人社 one answers every call with HTTP 503."""
    dataset = make_dataset(11, 6)
    write_bdc_database(dataset, tmp_path / "bdc.sqlite")
    async with contextlib.AsyncExitStack() as stack:
        rs = await stack.enter_async_context(serve(dataset))
        ga = await stack.enter_async_context(serve(dataset))
        rs.faults.failure_rate = 1.0
        adapters = {
            RS: {"kind": "rs_http", "base_url": rs.url, **HTTP_ADAPTER},
            GA: {"kind": "ga_http", "base_url": ga.url, **HTTP_ADAPTER},
            BDC: {"kind": "bdc_sql", "database": str(tmp_path / "bdc.sqlite")},
        }
        fed = await start_federation(tmp_path / "federation", adapters=adapters)
        stack.push_async_callback(fed.close)
        yield fed, household_known_to_ga_and_bdc(dataset)


def check_in_browser(path: pathlib.Path, check) -> None:
    """Open a written report in a browser of its own, run check(page), and fail if the page asked for anything else.

    The sync API needs a thread without a running event loop, so async tests
    call this through asyncio.to_thread.
    """
    from playwright.sync_api import sync_playwright

    requests: list[str] = []

    def only_the_file(route) -> None:
        if route.request.url == path.as_uri():
            route.continue_()
        else:
            requests.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS)
        try:
            page = launched.new_page()
            page.route("**/*", only_the_file)
            page.goto(path.as_uri())
            check(page)
        finally:
            launched.close()
    assert requests == []


async def test_failing_department_in_page(failing_rs, tmp_path):
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'")
    chromium_path()
    fed, household = failing_rs
    members = [(person.id_number, person.name, person.relation_code) for person in household.members]
    authorization = fed.authorization(members)
    async with fed.client() as client:
        report = await client.verify(authorization, [m[0] for m in members], ALL_CATEGORIES,
                                     C.PURPOSE_INITIAL_ELIGIBILITY, timeout=5)
    assert report.source(RS).status == "UNAVAILABLE"
    document = render_html(report, case=CaseDetails(case_reference="TY-TEST-0001"),
                           names={number: (name, relation) for number, name, relation in members})

    def check(page) -> None:
        assert "部门系统暂不可用" in page.locator(f'section.sources tr[data-source="{RS}"]').inner_text()
        for number, name, _ in members:
            assert name in page.locator(f'section.member[data-member="{number}"] thead').inner_text()
            for category in (C.DATA_CATEGORY_PENSION, C.DATA_CATEGORY_SOCIAL_INSURANCE):
                assert "不可用" in page.locator(row_selector(number, category, RS)).inner_text()
        for source in (report.source(GA), report.source(BDC)):
            assert source.records
            for found in source.records:
                texts = page.locator(row_selector(found.id_number, found.category, source.node)).all_inner_texts()
                assert any(all(fragment in text for fragment in expected_fragments(found)) for text in texts)
        assert "不完整" in page.locator('section.totals tr[data-total="income"]').inner_text()

    path = tmp_path / "report.html"
    path.write_text(document, encoding="utf-8")
    await asyncio.to_thread(check_in_browser, path, check)
