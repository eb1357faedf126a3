"""Generic adapter for department systems that serve JSON over HTTP."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

import aiohttp
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from hedui.adapters.base import (
    Adapter,
    AdapterDataError,
    AdapterError,
    AdapterQuery,
    AdapterRejected,
    AdapterTimeout,
    AdapterUnavailable,
)
from hedui.adapters.circuit import CircuitBreaker
from hedui.adapters.mapping import RecordMapping, map_rows
from hedui.v1 import records_pb2

logger = logging.getLogger(__name__)

# Gateway errors mean a proxy could not reach the system or it is overloaded,
# so a later attempt may succeed. Any other status would come back unchanged,
# so it is not retried.
RETRYABLE_STATUSES = frozenset({502, 503, 504})

JsonRows = list[Mapping[str, object]]


class _TransientUnavailable(AdapterUnavailable):
    """A failure that a later attempt may not repeat (connection error, 502, 503, 504)."""


@dataclass(frozen=True)
class JsonRoute:
    """One batch endpoint and the mapping of the rows it returns."""

    path: str  # joined to the adapter's base URL, for example /rs/api/v1/ylj/query
    mapping: RecordMapping


@dataclass(frozen=True)
class JsonApi:
    """A department's HTTP/JSON interface: its endpoints and its request and response envelopes."""

    label: str  # department system named in messages, for example 人社系统
    routes: tuple[JsonRoute, ...]
    build_request: Callable[[str, tuple[str, ...]], dict[str, object]]  # (request_id, id_numbers) -> body
    extract_rows: Callable[[object], JsonRows]  # raises AdapterRejected or AdapterDataError
    max_batch: int = 50  # most ID numbers the department accepts in one request


def _reject_constant(name: str) -> object:
    raise ValueError(f"non-finite number {name} is not valid JSON")


# Decimal keeps JSON numbers such as 3250.50 exact until they are converted to fen.
_parse_json = functools.partial(json.loads, parse_float=Decimal, parse_constant=_reject_constant)


class HttpJsonAdapter(Adapter):
    """Fetch records from a department's batch HTTP/JSON endpoints.

    One aiohttp session is shared by all calls. Each request has its own
    total timeout and is retried with exponential backoff on connection
    errors, timeouts and HTTP 502/503/504 only, up to ``retries`` extra
    attempts. A circuit breaker fails calls fast while the system keeps failing.
    """

    def __init__(
        self,
        api: JsonApi,
        base_url: str,
        *,
        name: str,
        timeout_seconds: float = 5.0,
        retries: int = 2,
        backoff_seconds: float = 0.2,
        max_backoff_seconds: float = 2.0,
        breaker: CircuitBreaker | None = None,
        session: aiohttp.ClientSession | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.name = name
        self.categories = frozenset(route.mapping.category for route in api.routes)
        self._api = api
        self._routes = {route.mapping.category: route for route in api.routes}
        self._base_url = base_url.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._attempts = retries + 1
        self._wait = wait_exponential(multiplier=backoff_seconds, max=max_backoff_seconds)
        self._breaker = breaker or CircuitBreaker(name)
        self._session = session
        self._owns_session = session is None
        self._sleep = sleep
        self._closed = False

    async def fetch(self, query: AdapterQuery) -> list[records_pb2.Record]:
        """Fetch every requested category this adapter serves, one batch request per category."""
        if self._closed:
            raise RuntimeError("fetch() called after close()")
        categories = sorted(query.categories & self.categories)
        if not categories or not query.id_numbers:
            return []
        requested_ids = frozenset(query.id_numbers)
        results = await asyncio.gather(
            *(self._fetch_category(self._routes[category], query, requested_ids) for category in categories),
            return_exceptions=True,
        )
        records: list[records_pb2.Record] = []
        for result in results:
            if isinstance(result, BaseException):
                raise result
            records.extend(result)
        logger.debug(
            "fetched records: adapter=%s request_id=%s categories=%s records=%s",
            self.name,
            query.request_id,
            categories,
            len(records),
        )
        return records

    async def close(self) -> None:
        """Close the HTTP session if this adapter created it."""
        self._closed = True
        if self._session is not None and self._owns_session:
            await self._session.close()
        self._session = None

    async def _fetch_category(
        self, route: JsonRoute, query: AdapterQuery, requested_ids: frozenset[str]
    ) -> list[records_pb2.Record]:
        records: list[records_pb2.Record] = []
        max_batch = self._api.max_batch
        for start in range(0, len(query.id_numbers), max_batch):
            batch = query.id_numbers[start : start + max_batch]
            body = self._api.build_request(query.request_id, batch)
            payload = await self._post(route.path, body, query.request_id)
            records.extend(map_rows(route.mapping, self._api.extract_rows(payload), requested_ids))
        return records

    async def _post(self, path: str, body: dict[str, object], request_id: str) -> object:
        """POST with retries on transient failures; return the decoded JSON body."""
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self._attempts),
            wait=self._wait,
            retry=retry_if_exception_type((_TransientUnavailable, AdapterTimeout)),
            sleep=self._sleep,
            before_sleep=functools.partial(self._log_retry, path, request_id),
            reraise=True,
        )
        return await retrying(self._post_once, path, body)

    async def _post_once(self, path: str, body: dict[str, object]) -> object:
        """Make one attempt, telling the circuit breaker how it went."""
        self._breaker.before_call()
        try:
            status, content = await self._send(path, body)
        except AdapterError:
            self._breaker.record_failure()
            raise
        if status >= 500:
            self._breaker.record_failure()
        else:
            self._breaker.record_success()
        return self._decode(path, status, content)

    async def _send(self, path: str, body: dict[str, object]) -> tuple[int, bytes]:
        """Send the request and read the whole response, mapping transport failures."""
        url = self._base_url + path
        try:
            async with self._get_session().post(url, json=body, timeout=self._timeout) as response:
                return response.status, await response.read()
        except TimeoutError as exc:
            seconds = self._timeout.total
            raise AdapterTimeout(
                f"{self._api.label}（{self.name}）在 {seconds} 秒内未响应 {path}；"
                "请稍后重试，或检查该部门系统的负载与网络。"
            ) from exc
        except aiohttp.ClientError as exc:
            raise _TransientUnavailable(
                f"无法连接{self._api.label}（{self.name}）的 {path}：{type(exc).__name__}；"
                "请检查该部门系统是否运行，以及节点配置中的 base_url。"
            ) from exc

    def _decode(self, path: str, status: int, content: bytes) -> object:
        """Turn a status and body into JSON, or raise the error that status stands for."""
        if status in RETRYABLE_STATUSES:
            raise _TransientUnavailable(
                f"{self._api.label}（{self.name}）的 {path} 暂时不可用（HTTP {status}）；请稍后重试。"
            )
        if status >= 500:
            raise AdapterUnavailable(
                f"{self._api.label}（{self.name}）的 {path} 内部错误（HTTP {status}）；"
                "请联系该部门检查系统日志。"
            )
        if status >= 400:
            raise AdapterRejected(
                f"{self._api.label}（{self.name}）拒绝了对 {path} 的请求（HTTP {status}）；"
                "请核对接口地址与节点配置，或联系该部门确认接口权限。"
            )
        try:
            return _parse_json(content)
        except ValueError as exc:
            raise AdapterDataError(
                f"{self._api.label}（{self.name}）的 {path} 返回的内容不是有效的 JSON；"
                "请联系该部门检查接口。"
            ) from exc

    def _get_session(self) -> aiohttp.ClientSession:
        # The session is created on first use because aiohttp wants a running event loop.
        if self._session is None:
            self._session = aiohttp.ClientSession(raise_for_status=False)
            self._owns_session = True
        return self._session

    def _log_retry(self, path: str, request_id: str, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome is not None else None
        logger.warning(
            "retrying department call: adapter=%s path=%s request_id=%s attempt=%s error=%s",
            self.name,
            path,
            request_id,
            state.attempt_number,
            type(error).__name__,
        )
