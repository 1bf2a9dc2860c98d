from __future__ import annotations

import threading
from datetime import date

import pytest

from contractcore.testing import InMemoryStore, InMemoryUnitOfWork
from tests.repository.conformance import NewUow, UnitOfWorkConformance


class TestInMemoryBackend(UnitOfWorkConformance):
    @pytest.fixture
    def new_uow(self) -> NewUow:
        store = InMemoryStore()
        return lambda: InMemoryUnitOfWork(store)


def test_threads_allocating_at_once_get_unique_numbers_and_lose_none() -> None:
    store = InMemoryStore()
    numbers: list[str] = []

    def work() -> None:
        for _ in range(25):
            with InMemoryUnitOfWork(store) as uow:
                numbers.append(uow.numbering.allocate("acme", "42", date(2026, 1, 1)))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(numbers) == [f"42-{n:04d}" for n in range(1, 101)]
    with InMemoryUnitOfWork(store) as uow:
        assert uow.numbering.get("acme").value.next_sequence == 101
