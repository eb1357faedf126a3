"""Adapters that turn department systems into standard hedui records."""

from hedui.adapters.base import (
    Adapter,
    AdapterConfigError,
    AdapterDataError,
    AdapterError,
    AdapterQuery,
    AdapterRejected,
    AdapterTimeout,
    AdapterUnavailable,
    mask_id_number,
)
from hedui.adapters.circuit import CircuitBreaker, CircuitOpenError
from hedui.adapters.factory import build_adapter

__all__ = [
    "Adapter",
    "AdapterConfigError",
    "AdapterDataError",
    "AdapterError",
    "AdapterQuery",
    "AdapterRejected",
    "AdapterTimeout",
    "AdapterUnavailable",
    "CircuitBreaker",
    "CircuitOpenError",
    "build_adapter",
    "mask_id_number",
]
