"""Files are read across worker processes; a worker that dies fails its call, not every later one."""

import os
from concurrent.futures.process import BrokenProcessPool

import pytest

from pipelines.landing.workers import POOL_THRESHOLD, read_all


def square(number: int) -> int:
    return number * number


def die_on_seven(number: int) -> int:
    if number == 7:
        os._exit(1)  # a worker killed mid-file (out of memory, kill -9)
    return number


def test_the_pool_reads_in_order_and_recovers_from_a_dead_worker(monkeypatch):
    monkeypatch.setenv("CCHC_WORKERS", "2")
    numbers = list(range(POOL_THRESHOLD * 2))
    assert read_all(square, numbers) == [n * n for n in numbers]
    with pytest.raises(BrokenProcessPool):
        read_all(die_on_seven, numbers)
    assert read_all(square, numbers) == [n * n for n in numbers]  # a fresh pool, not the broken one
