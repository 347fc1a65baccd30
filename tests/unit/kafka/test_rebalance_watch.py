"""When a rebalance counts as stuck: only after it has lasted longer than the limit, unbroken."""

from __future__ import annotations

from shared.kafka.consumer import RebalanceWatch


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_group_rebalancing_for_longer_than_the_limit_is_stalled() -> None:
    clock = _Clock()
    watch = RebalanceWatch(30, clock)
    assert not watch.stalled(stable=False)
    clock.now += 29
    assert not watch.stalled(stable=False)
    clock.now += 2
    assert watch.stalled(stable=False)
    assert watch.seconds_unstable() == 31


def test_a_stable_moment_starts_the_count_again() -> None:
    clock = _Clock()
    watch = RebalanceWatch(30, clock)
    watch.stalled(stable=False)
    clock.now += 25
    assert not watch.stalled(stable=True)
    clock.now += 1
    assert not watch.stalled(stable=False)
    clock.now += 25
    assert not watch.stalled(stable=False)
    assert watch.seconds_unstable() == 25


def test_a_stable_group_is_never_stalled() -> None:
    clock = _Clock()
    watch = RebalanceWatch(0, clock)
    for _ in range(3):
        clock.now += 1000
        assert not watch.stalled(stable=True)
