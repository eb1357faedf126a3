"""Adapter interface and the exceptions every adapter raises."""

from __future__ import annotations

import abc
from dataclasses import dataclass
from types import TracebackType

from hedui.v1 import records_pb2


@dataclass(frozen=True)
class AdapterQuery:
    """One checked request that the node hands to an adapter."""

    request_id: str
    id_numbers: tuple[str, ...]  # normalised 18-character resident ID numbers
    categories: frozenset[int]  # hedui.v1.common_pb2.DataCategory values
    purpose: int  # hedui.v1.common_pb2.Purpose value


class Adapter(abc.ABC):
    """A department system seen as a source of standard records.

    Lifecycle: ``fetch`` may be called concurrently and any number of times
    until ``close`` is called. ``close`` is safe to call more than once, and
    ``fetch`` after ``close`` is an error.
    """

    categories: frozenset[int]  # categories this adapter serves

    @abc.abstractmethod
    async def fetch(self, query: AdapterQuery) -> list[records_pb2.Record]:
        """Fetch the records of the requested categories and persons, each with ``as_of`` set.

        Returns an empty list when the department has no record of any requested
        person. Raises an ``AdapterError`` subclass on failure.
        """

    @abc.abstractmethod
    async def close(self) -> None:
        """Release connections and sessions held by the adapter."""

    async def __aenter__(self) -> Adapter:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


class AdapterError(Exception):
    """Base class of every error an adapter raises."""


class AdapterUnavailable(AdapterError, ConnectionError):
    """The department system could not be reached, kept failing, or its circuit is open."""


class AdapterTimeout(AdapterError, TimeoutError):
    """The department system did not respond within the per-call timeout."""


class AdapterRejected(AdapterError):
    """The department system rejected the request (HTTP 4xx or a business error code)."""


class AdapterDataError(AdapterError, ValueError):
    """The department system returned data that does not map to a standard record."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field  # the department's field name, when one is to blame


class AdapterConfigError(AdapterError, ValueError):
    """An adapter configuration table is missing a key or holds an invalid value."""


def mask_id_number(id_number: str) -> str:
    """Return the ID number with all but its first and last four characters starred.

    Use this wherever an ID number would otherwise reach a message or a log.
    """
    if len(id_number) <= 8:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]
