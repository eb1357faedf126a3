"""The HTTP/JSON source of a department file: request and response envelopes and retries."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from hedui.adapters import convert
from hedui.adapters._config_table import ConfigTable
from hedui.adapters._declarative_fields import build_mappings
from hedui.adapters.base import Adapter, AdapterDataError, AdapterRejected
from hedui.adapters.circuit import CircuitBreaker
from hedui.adapters.http_json import HttpJsonAdapter, JsonApi, JsonRoute, JsonRows

_MAX_RETRIES = 10
_MAX_BREAKER_FAILURES = 1000
_MAX_BATCH = 1000


def build_http(source: ConfigTable, tables: list[ConfigTable], label: str, name: str) -> Adapter:
    base_url = source.string("base_url")
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise source.error("base_url", f"值 {base_url!r} 无效，应为 http:// 或 https:// 开头的地址。")
    request = source.table_of("request")
    ids_key = request.string("ids", "ids")
    request_id_key = request.string("request_id", "") or None
    extra = request.string_table("extra")
    request.reject_unknown()
    response = source.table_of("response")
    rows_key = response.string("rows", "rows")
    status_key = response.string("status", "") or None
    ok_value = response.string("ok") if status_key is not None else None
    message_key = response.string("message", "") or None
    response.reject_unknown()

    options: dict[str, Any] = {}
    for key in ("timeout_seconds", "backoff_seconds"):
        number = source.number(key, positive=key == "timeout_seconds")
        if number is not None:
            options[key] = number
    retries = source.integer("retries", minimum=0, maximum=_MAX_RETRIES)
    if retries is not None:
        options["retries"] = retries
    breaker_options: dict[str, Any] = {}
    failures = source.integer("breaker_failures", minimum=1, maximum=_MAX_BREAKER_FAILURES)
    if failures is not None:
        breaker_options["failure_threshold"] = failures
    reset = source.number("breaker_reset_seconds", positive=False)
    if reset is not None:
        breaker_options["reset_seconds"] = reset
    max_batch = source.integer("max_batch", minimum=1, maximum=_MAX_BATCH)
    source.reject_unknown()

    routes = []
    # JSON rows may hold arrays, so a repeated field needs no separator here.
    for table, mapping in zip(tables, build_mappings(tables, label, json_arrays=True), strict=True):
        route_path = table.string("path")
        if not route_path.startswith("/"):
            raise table.error("path", f"值 {route_path!r} 无效，应以 / 开头。")
        table.reject_unknown()
        routes.append(JsonRoute(route_path, mapping))

    def build_request(request_id: str, id_numbers: tuple[str, ...]) -> dict[str, object]:
        body: dict[str, object] = dict(extra)
        if request_id_key is not None:
            body[request_id_key] = request_id
        body[ids_key] = list(id_numbers)
        return body

    api = JsonApi(
        label=label,
        routes=tuple(routes),
        build_request=build_request,
        extract_rows=_row_extractor(label, rows_key, status_key, ok_value, message_key),
        **({"max_batch": max_batch} if max_batch is not None else {}),
    )
    breaker = CircuitBreaker(name, **breaker_options)
    return HttpJsonAdapter(api, base_url, name=name, breaker=breaker, **options)


def _row_extractor(
    label: str, rows_key: str, status_key: str | None, ok_value: str | None, message_key: str | None
) -> Callable[[object], JsonRows]:
    """Return the function that checks a response's business status and returns its rows."""

    def extract_rows(payload: object) -> JsonRows:
        if not isinstance(payload, Mapping):
            raise AdapterDataError(f"{label}的应答不是 JSON 对象；请联系该部门检查接口。")
        if status_key is not None:
            if status_key not in payload:
                raise AdapterDataError(f"{label}的应答缺少字段 {status_key}；请联系该部门检查接口。", field=status_key)
            if str(payload[status_key]) != ok_value:
                detail = f"，{message_key}={convert.shown(payload.get(message_key, ''))}" if message_key else ""
                raise AdapterRejected(
                    f"{label}返回业务错误 {status_key}={convert.shown(payload[status_key])}{detail}；"
                    "请按该部门的说明处理后重试。"
                )
        rows = payload.get(rows_key)
        if not isinstance(rows, list) or not all(isinstance(row, Mapping) for row in rows):
            raise AdapterDataError(f"{label}的应答字段 {rows_key} 应为对象数组；请联系该部门检查接口。", field=rows_key)
        return rows

    return extract_rows
