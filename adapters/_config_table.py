"""Typed reading of one TOML table, with errors that name the file, the table and the key."""

from __future__ import annotations

import math
import pathlib
from collections.abc import Mapping
from typing import Any

from hedui.adapters.base import AdapterConfigError


# Name of the node configuration table whose keys override a department file's [source].
NODE_OVERRIDE_TABLE = "节点配置 [adapter.source]"


class ConfigTable:
    """One table of a configuration file; each getter records the key as known.

    Call ``reject_unknown`` once every key has been read, so a misspelt
    optional key is rejected instead of silently taking its default.

    ``overridden`` names the keys whose values came from the node
    configuration's ``[adapter.source]`` table instead of this file, and
    ``fixed`` the keys that table may not override; errors about an
    overridden key name the node configuration.
    """

    def __init__(
        self,
        values: Mapping[str, Any],
        file: pathlib.Path,
        table: str,
        *,
        overridden: frozenset[str] = frozenset(),
        fixed: frozenset[str] = frozenset(),
    ) -> None:
        self.values = values
        self.file = file
        self.table = table
        self.overridden = overridden
        self._fixed = fixed
        self._known: set[str] = set()
        self._sub_tables: set[str] = set()

    def error(self, key: str, problem: str) -> AdapterConfigError:
        """Return an AdapterConfigError naming this file, this table and ``key``."""
        return AdapterConfigError(f"{self.location(key)}：{problem}")

    def location(self, key: str, lang: str = "zh") -> str:
        """Return where ``key`` is written, in the words error messages in ``lang`` use."""
        english = lang == "en"
        if key in self.overridden:
            return f"node configuration [adapter.source] {key}" if english else f"{NODE_OVERRIDE_TABLE} 中 {key}"
        if not self.table:
            return f"{self.file} top level {key}" if english else f"{self.file} 的顶层中 {key}"
        return f"{self.file} [{self.table}] {key}" if english else f"{self.file} 的 [{self.table}] 中 {key}"

    def has(self, key: str) -> bool:
        self._known.add(key)
        return key in self.values

    def string(self, key: str, default: str | None = None) -> str:
        """Return a non-empty string; a missing key takes ``default`` or is an error when it is None."""
        self._known.add(key)
        if key not in self.values:
            if default is None:
                raise self.error(key, "缺少必填键，请补充。")
            return default
        value = self.values[key]
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, f"值 {value!r} 无效，应为非空字符串。")
        return value.strip()

    def choice(self, key: str, allowed: Mapping[str, Any] | frozenset[str], default: str | None = None) -> str:
        """Return a string that must be one of ``allowed``."""
        value = self.string(key, default)
        if value not in allowed:
            raise self.error(key, f"值 {value!r} 无法识别；可选：{'、'.join(sorted(allowed))}。")
        return value

    def number(self, key: str, *, positive: bool = True) -> float | None:
        """Return a finite number of seconds, or None when the key is absent."""
        self._known.add(key)
        if key not in self.values:
            return None
        value = self.values[key]
        valid = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        if not valid or value < 0 or (positive and value == 0):
            expected = "正数" if positive else "非负数"
            raise self.error(key, f"值 {value!r} 无效，应为以秒计的{expected}。")
        return float(value)

    def integer(self, key: str, *, minimum: int, maximum: int) -> int | None:
        """Return an integer in [minimum, maximum], or None when the key is absent."""
        self._known.add(key)
        if key not in self.values:
            return None
        value = self.values[key]
        if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= maximum:
            raise self.error(key, f"值 {value!r} 无效，应为 {minimum} 到 {maximum} 的整数。")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        self._known.add(key)
        value = self.values.get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"值 {value!r} 无效，应为 true 或 false。")
        return value

    def table_of(self, key: str, *, required: bool = False) -> ConfigTable:
        """Return the sub-table ``key`` (empty when absent and not required)."""
        self._known.add(key)
        self._sub_tables.add(key)
        if key not in self.values:
            if required:
                raise self.error(key, "缺少必填的表，请补充。")
            return ConfigTable({}, self.file, self._child(key))
        value = self.values[key]
        if not isinstance(value, Mapping):
            raise self.error(key, f"值 {value!r} 无效，应为表（{{ ... }}）。")
        return ConfigTable(value, self.file, self._child(key))

    def _child(self, key: str) -> str:
        return f"{self.table}.{key}" if self.table else key

    def string_table(self, key: str) -> dict[str, str]:
        """Return a table whose values are all strings (empty when absent)."""
        sub = self.table_of(key)
        result: dict[str, str] = {}
        for name in sub.values:
            result[name] = sub.string(name)
        return result

    def reject_unknown(self) -> None:
        unknown = sorted(set(self.values) - self._known)
        from_node = [key for key in unknown if key in self.overridden]
        if from_node:
            overridable = sorted(self._known - self._sub_tables - self._fixed)
            raise AdapterConfigError(
                f"{NODE_OVERRIDE_TABLE} 中 {'、'.join(from_node)}：键无法识别；"
                f"可覆盖的键：{'、'.join(overridable)}（见部门配置 {self.file} 的 [{self.table}]）。"
            )
        if unknown:
            raise self.error(
                "、".join(unknown), f"键无法识别；可用的键：{'、'.join(sorted(self._known))}。"
            )
