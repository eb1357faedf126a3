"""The SDK checks every signature and binding in a report it receives.

Each test runs a real verification through the city over loopback, keeps
the raw VerifyResponse, alters it the way a node on the route could, and
hands it to ``Client.open_response``. A report changed without the
province's key fails the report signature. A report re-signed with the
province's key (an aggregator gone wrong) still cannot change what a
department signed, drop a department, or pass off another request's answer.
"""

from __future__ import annotations

import pytest

from exchange_helpers import CJK, HEAD, HOUSEHOLD, SPOUSE, call_verify, fixed_departments
from federation_harness import ALL_CATEGORIES, BDC, CITY, GA, PROVINCE, RS, start_federation
from hedui.sdk import HeduiError
from hedui.v1 import exchange_pb2
from hedui.v1 import common_pb2 as C

PURPOSE = C.PURPOSE_INITIAL_ELIGIBILITY


@pytest.fixture
async def fed(tmp_path):
    running = await start_federation(tmp_path, adapters={}, overrides=fixed_departments())
    yield running
    await running.close()


@pytest.fixture
async def client(fed):
    async with fed.client() as sdk_client:
        yield sdk_client


async def exchange(fed, client):
    """Run one verification and return the signed request and the raw response."""
    request = client.build_request(fed.authorization(HOUSEHOLD), [HEAD, SPOUSE], ALL_CATEGORIES, PURPOSE)
    response = await call_verify(fed.fed.addresses[CITY], request)
    return request, response


def edit_report(response, edit, resign_with=None) -> exchange_pb2.VerifyResponse:
    """Return the response with its report edited, re-signed by resign_with if given."""
    report = exchange_pb2.Report.FromString(response.report)
    edit(report)
    data = report.SerializeToString(deterministic=True)
    signature = resign_with.sign(data) if resign_with is not None else response.signature
    return exchange_pb2.VerifyResponse(report=data, signature=signature)


def source_of(report, node):
    return next(source for source in report.sources if source.node == node)


def flip_record_byte(report) -> None:
    """Change one digit of the head's ID number inside the department's signed answer bytes."""
    answer = source_of(report, RS).answer
    index = answer.answer.index(HEAD.encode()) + 10
    changed = bytearray(answer.answer)
    changed[index] = ord("9") if changed[index] != ord("9") else ord("8")
    answer.answer = bytes(changed)


def drop_source(report) -> None:
    kept = [source for source in report.sources if source.node != RS]
    del report.sources[:]
    report.sources.extend(kept)


def rejection(client, request, response) -> HeduiError:
    with pytest.raises(HeduiError) as caught:
        client.open_response(request, response)
    return caught.value


async def test_untouched_report_opens(fed, client):
    request, response = await exchange(fed, client)
    report = client.open_response(request, response)
    assert [source.node for source in report.sources] == [RS, BDC, GA]
    assert all(source.signature_verified for source in report.sources)
    assert len(report.records_for(HEAD)) == len(ALL_CATEGORIES)


async def test_record_edited(fed, client):
    request, response = await exchange(fed, client)
    error = rejection(client, request, edit_report(response, flip_record_byte))
    assert error.reason == "SIGNATURE_INVALID"
    assert CJK.search(str(error))


async def test_record_edited_resigned(fed, client):
    request, response = await exchange(fed, client)
    province_key = fed.fed.load_key(PROVINCE)
    error = rejection(client, request, edit_report(response, flip_record_byte, province_key))
    assert error.reason == "SIGNATURE_INVALID"
    assert RS in error.message("en")


async def test_source_dropped(fed, client):
    request, response = await exchange(fed, client)
    error = rejection(client, request, edit_report(response, drop_source))
    assert error.reason == "SIGNATURE_INVALID"


async def test_source_dropped_resigned(fed, client):
    request, response = await exchange(fed, client)
    error = rejection(client, request, edit_report(response, drop_source, fed.fed.load_key(PROVINCE)))
    assert error.reason == "ANSWER_INVALID"
    assert CJK.search(str(error))


async def test_report_signed_by_city(fed, client):
    request, response = await exchange(fed, client)
    error = rejection(client, request, edit_report(response, lambda report: None, fed.fed.load_key(CITY)))
    assert error.reason == "SIGNATURE_INVALID"


async def test_report_for_other_request(fed, client):
    _, first_response = await exchange(fed, client)
    second_request, _ = await exchange(fed, client)
    error = rejection(client, second_request, first_response)
    assert error.reason == "ANSWER_INVALID"


async def test_answer_from_other_request(fed, client):
    _, first_response = await exchange(fed, client)
    second_request, second_response = await exchange(fed, client)
    old_answer = source_of(exchange_pb2.Report.FromString(first_response.report), RS).answer

    def splice(report) -> None:
        source_of(report, RS).answer.CopyFrom(old_answer)

    spliced = edit_report(second_response, splice, fed.fed.load_key(PROVINCE))
    error = rejection(client, second_request, spliced)
    assert error.reason == "ANSWER_INVALID"


async def test_answer_moved_to_other_source(fed, client):
    request, response = await exchange(fed, client)

    def relabel(report) -> None:
        source_of(report, GA).answer.CopyFrom(source_of(report, RS).answer)

    error = rejection(client, request, edit_report(response, relabel, fed.fed.load_key(PROVINCE)))
    assert error.reason == "SIGNATURE_INVALID"
