"""A small circuit breaker so a failing department system is not hammered."""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable

from hedui.adapters.base import AdapterUnavailable

logger = logging.getLogger(__name__)


class CircuitOpenError(AdapterUnavailable):
    """The circuit is open, so the call failed fast without reaching the system."""


class CircuitState(enum.Enum):
    """State of a circuit breaker."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    """Open after ``failure_threshold`` consecutive failures, then retry after ``reset_seconds``.

    While open, every call fails fast. Once the cool-down has passed, one
    trial call is let through (half-open): its success closes the circuit and
    its failure opens it for another cool-down. Other calls made while the
    trial is in flight fail fast. ``clock`` returns seconds and is a parameter
    so tests can move time without sleeping.
    """

    def __init__(
        self,
        name: str,
        *,
        failure_threshold: int = 5,
        reset_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        if reset_seconds < 0:
            raise ValueError("reset_seconds must not be negative")
        self.name = name
        self._failure_threshold = failure_threshold
        self._reset_seconds = reset_seconds
        self._clock = clock
        self._state = CircuitState.CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._trial_in_flight = False

    @property
    def state(self) -> CircuitState:
        """The current state, moving from open to half-open once the cool-down has passed."""
        if self._state is CircuitState.OPEN and self._cooled_down():
            return CircuitState.HALF_OPEN
        return self._state

    def before_call(self) -> None:
        """Allow a call or raise CircuitOpenError; call once before each attempt."""
        if self._state is CircuitState.CLOSED:
            return
        if self._state is CircuitState.OPEN and self._cooled_down():
            self._state = CircuitState.HALF_OPEN
            self._trial_in_flight = False
            logger.info("circuit half-open, letting one trial call through: adapter=%s", self.name)
        if self._state is CircuitState.HALF_OPEN and not self._trial_in_flight:
            self._trial_in_flight = True
            return
        remaining = max(0.0, self._opened_at + self._reset_seconds - self._clock())
        raise CircuitOpenError(
            f"部门系统 {self.name} 连续失败 {self._failure_threshold} 次，已暂停访问（熔断），"
            f"约 {remaining:.0f} 秒后自动重试；请检查该部门系统是否正常运行。"
        )

    def record_success(self) -> None:
        """Note a call that reached a working system, closing the circuit."""
        if self._state is not CircuitState.CLOSED:
            logger.info("circuit closed after a successful call: adapter=%s", self.name)
        self._state = CircuitState.CLOSED
        self._failures = 0
        self._trial_in_flight = False

    def record_failure(self) -> None:
        """Note a failed call, opening the circuit at the threshold or after a failed trial."""
        self._failures += 1
        if self._state is CircuitState.HALF_OPEN or self._failures >= self._failure_threshold:
            if self._state is not CircuitState.OPEN:
                logger.warning(
                    "circuit opened: adapter=%s consecutive_failures=%s reset_seconds=%s",
                    self.name,
                    self._failures,
                    self._reset_seconds,
                )
            self._state = CircuitState.OPEN
            self._opened_at = self._clock()
            self._trial_in_flight = False

    def _cooled_down(self) -> bool:
        return self._clock() - self._opened_at >= self._reset_seconds
