"""Build an adapter from a node's ``[adapter]`` configuration table."""

from __future__ import annotations

import math
import pathlib
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from hedui.adapters import dept_bdc, dept_ga, dept_rs
from hedui.adapters.declarative import load_department
from hedui.adapters.base import Adapter, AdapterConfigError
from hedui.adapters.circuit import CircuitBreaker
from hedui.adapters.http_json import HttpJsonAdapter, JsonApi
from hedui.adapters.sql import SqliteAdapter

HTTP_KEYS = frozenset(
    {
        "kind",
        "base_url",
        "timeout_seconds",
        "retries",
        "backoff_seconds",
        "breaker_failures",
        "breaker_reset_seconds",
    }
)
SQL_KEYS = frozenset({"kind", "database", "timeout_seconds"})
DECLARATIVE_KEYS = frozenset({"kind", "file", "source"})

DEFAULT_TIMEOUT_SECONDS = 5.0
DEFAULT_RETRIES = 2
DEFAULT_BACKOFF_SECONDS = 0.2
DEFAULT_BREAKER_FAILURES = 5
DEFAULT_BREAKER_RESET_SECONDS = 30.0
MAX_RETRIES = 10


def build_adapter(config: Mapping[str, Any], base_dir: pathlib.Path) -> Adapter:
    """Build the adapter named by ``config["kind"]``; relative paths resolve against ``base_dir``.

    Kinds: ``rs_http`` (人社), ``ga_http`` (公安), ``bdc_sql`` (不动产), and
    ``declarative``, which reads a department file (see ``hedui.adapters.declarative``).
    Raises AdapterConfigError naming the key when a key is missing, unknown
    or has an invalid value.
    """
    kind = _string(config, "kind")
    builder = _BUILDERS.get(kind)
    if builder is None:
        raise AdapterConfigError(
            f"[adapter] 中 kind 的值 {kind!r} 无效；可选：{'、'.join(sorted(_BUILDERS))}。"
        )
    return builder(config, base_dir)


def _build_http(api: JsonApi, name: str) -> Callable[[Mapping[str, Any], pathlib.Path], Adapter]:
    def build(config: Mapping[str, Any], base_dir: pathlib.Path) -> Adapter:
        _reject_unknown_keys(config, HTTP_KEYS)
        base_url = _string(config, "base_url")
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise AdapterConfigError(
                f"[adapter] 中 base_url 的值 {base_url!r} 无效；应为 http:// 或 https:// 开头的地址。"
            )
        breaker = CircuitBreaker(
            name,
            failure_threshold=_integer(config, "breaker_failures", DEFAULT_BREAKER_FAILURES, minimum=1),
            reset_seconds=_number(config, "breaker_reset_seconds", DEFAULT_BREAKER_RESET_SECONDS, positive=False),
        )
        return HttpJsonAdapter(
            api,
            base_url,
            name=name,
            timeout_seconds=_number(config, "timeout_seconds", DEFAULT_TIMEOUT_SECONDS),
            retries=_integer(config, "retries", DEFAULT_RETRIES, minimum=0, maximum=MAX_RETRIES),
            backoff_seconds=_number(config, "backoff_seconds", DEFAULT_BACKOFF_SECONDS, positive=False),
            breaker=breaker,
        )

    return build


def _build_bdc_sql(config: Mapping[str, Any], base_dir: pathlib.Path) -> Adapter:
    _reject_unknown_keys(config, SQL_KEYS)
    database = base_dir / _string(config, "database")
    if not database.is_file():
        # Refuse at start rather than answer every query with DEPARTMENT_UNAVAILABLE.
        raise AdapterConfigError(f"[adapter] 中 database 指向的文件不存在：{database}；请检查路径")
    return SqliteAdapter(
        database,
        dept_bdc.QUERIES,
        name="bdc_sql",
        label=dept_bdc.LABEL,
        timeout_seconds=_number(config, "timeout_seconds", DEFAULT_TIMEOUT_SECONDS),
    )


def _build_declarative(config: Mapping[str, Any], base_dir: pathlib.Path) -> Adapter:
    _reject_unknown_keys(config, DECLARATIVE_KEYS)
    department_file = base_dir / _string(config, "file")
    overrides = config.get("source", {})
    if not isinstance(overrides, Mapping):
        raise AdapterConfigError(f"[adapter] 中 source 的值 {overrides!r} 无效；应为表，其中的键覆盖部门配置的 [source]。")
    return load_department(department_file, overrides, overrides_dir=base_dir)


_BUILDERS: dict[str, Callable[[Mapping[str, Any], pathlib.Path], Adapter]] = {
    "rs_http": _build_http(dept_rs.API, "rs_http"),
    "ga_http": _build_http(dept_ga.API, "ga_http"),
    "bdc_sql": _build_bdc_sql,
    "declarative": _build_declarative,
}


def _reject_unknown_keys(config: Mapping[str, Any], allowed: frozenset[str]) -> None:
    # A misspelt optional key would otherwise be ignored and its default used silently.
    unknown = sorted(set(config) - allowed)
    if unknown:
        raise AdapterConfigError(
            f"[adapter] 中的键 {'、'.join(unknown)} 无法识别；"
            f"kind={config.get('kind')!r} 可用的键：{'、'.join(sorted(allowed))}。"
        )


def _string(config: Mapping[str, Any], key: str) -> str:
    if key not in config:
        raise AdapterConfigError(f"[adapter] 缺少必填键 {key}；请在节点配置文件中补充。")
    value = config[key]
    if not isinstance(value, str) or not value.strip():
        raise AdapterConfigError(f"[adapter] 中 {key} 的值 {value!r} 无效；应为非空字符串。")
    return value.strip()


def _number(config: Mapping[str, Any], key: str, default: float, *, positive: bool = True) -> float:
    value = config.get(key, default)
    valid = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if not valid or value < 0 or (positive and value == 0):
        expected = "正数" if positive else "非负数"
        raise AdapterConfigError(f"[adapter] 中 {key} 的值 {value!r} 无效；应为以秒计的{expected}。")
    return float(value)


def _integer(config: Mapping[str, Any], key: str, default: int, *, minimum: int, maximum: int | None = None) -> int:
    value = config.get(key, default)
    too_large = maximum is not None and isinstance(value, int) and value > maximum
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum or too_large:
        limit = f"{minimum} 到 {maximum}" if maximum is not None else f"不小于 {minimum}"
        raise AdapterConfigError(f"[adapter] 中 {key} 的值 {value!r} 无效；应为{limit}的整数。")
    return value
