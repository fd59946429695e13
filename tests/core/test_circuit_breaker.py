"""The circuit breaker's states: closed, open after a failure, one half-open probe, closed again."""

import pytest

from aiwatch.core.circuit import Admission, CircuitBreaker, State


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def breaker(clock):
    return CircuitBreaker(1.0, probe_seconds=30.0, clock=clock)


def test_a_closed_circuit_lets_everyone_through(breaker):
    assert [breaker.admit() for _ in range(3)] == [Admission.PASS] * 3
    assert breaker.state is State.CLOSED


def test_a_failure_opens_it_and_callers_are_refused_until_the_period_ends(breaker, clock):
    breaker.failed()
    assert breaker.state is State.OPEN
    assert breaker.admit() is Admission.REFUSE
    clock.now += 0.99
    assert breaker.admit() is Admission.REFUSE


def test_after_the_period_one_probe_goes_through_and_the_others_wait_for_it(breaker, clock):
    breaker.failed()
    clock.now += 1.0
    assert breaker.admit() is Admission.PROBE
    assert breaker.state is State.HALF_OPEN
    assert [breaker.admit() for _ in range(3)] == [Admission.REFUSE] * 3


def test_a_successful_probe_closes_it(breaker, clock):
    breaker.failed()
    clock.now += 1.0
    assert breaker.admit() is Admission.PROBE
    breaker.succeeded()
    assert breaker.state is State.CLOSED
    assert breaker.admit() is Admission.PASS


def test_a_failed_probe_opens_it_for_another_period(breaker, clock):
    breaker.failed()
    clock.now += 1.0
    assert breaker.admit() is Admission.PROBE
    breaker.failed()
    assert breaker.state is State.OPEN
    clock.now += 0.5
    assert breaker.admit() is Admission.REFUSE
    clock.now += 0.5
    assert breaker.admit() is Admission.PROBE


def test_a_probe_that_never_reports_back_is_replaced(breaker, clock):
    """A caller that died mid-probe must not leave the circuit half-open for ever."""
    breaker.failed()
    clock.now += 1.0
    assert breaker.admit() is Admission.PROBE
    clock.now += 29.0
    assert breaker.admit() is Admission.REFUSE
    clock.now += 1.0
    assert breaker.admit() is Admission.PROBE
