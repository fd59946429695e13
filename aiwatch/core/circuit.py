"""A circuit breaker: after the database could not be reached, stop asking for a moment.

Without it, every request during an outage waits for its own connection
attempt to fail, and under a crowd every worker thread is stuck waiting. With
it, the first failure opens the circuit; for `open_seconds` every request is
refused at once (the caller answers 503); then one request, the probe, is let
through (half-open). Its success closes the circuit, its failure opens it
again for another period. The other requests are refused while the probe is
out, so a returning server is not hit by a stampede.

The state is per process and shared by its threads. It knows nothing of
databases: aiwatch.core.postgresql reports successes and failures to it.
"""

import enum
import threading
import time
from collections.abc import Callable


class State(enum.StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half-open"


class Admission(enum.Enum):
    PASS = "pass"  # closed: go ahead
    PROBE = "probe"  # half-open: this caller is the one probe; report how it went
    REFUSE = "refuse"  # open, or another caller is probing: fail without trying


class CircuitBreaker:
    def __init__(
        self,
        open_seconds: float,
        *,
        probe_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        """`probe_seconds` bounds how long a probe may stay out before another is let through,
        so a probe whose caller died without reporting cannot keep the circuit half-open."""
        self.open_seconds = open_seconds
        self.probe_seconds = probe_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._state = State.CLOSED
        self._since = 0.0  # when the circuit opened, or when the probe went out

    @property
    def state(self) -> State:
        with self._lock:
            return self._state

    def admit(self) -> Admission:
        with self._lock:
            if self._state is State.CLOSED:
                return Admission.PASS
            now = self._clock()
            waited = now - self._since
            if (self._state is State.OPEN and waited >= self.open_seconds) or (
                self._state is State.HALF_OPEN and waited >= self.probe_seconds
            ):
                self._state, self._since = State.HALF_OPEN, now
                return Admission.PROBE
            return Admission.REFUSE

    def succeeded(self) -> None:
        with self._lock:
            self._state = State.CLOSED

    def failed(self) -> None:
        with self._lock:
            self._state, self._since = State.OPEN, self._clock()
