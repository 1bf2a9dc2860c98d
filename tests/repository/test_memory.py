from __future__ import annotations

import threading
from datetime import date

import attrs
import pytest

from contractcore.errors import InvalidArgumentError
from contractcore.testing import InMemoryStore, InMemoryUnitOfWork
from contractcore.testing.conformance import ACTOR, NewUow, UnitOfWorkConformance
from contractcore.testing.samples import a_contract


class TestInMemoryBackend(UnitOfWorkConformance):
    @pytest.fixture
    def new_uow(self) -> NewUow:
        store = InMemoryStore()
        return lambda: InMemoryUnitOfWork(store, actor=ACTOR)


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


def test_a_unit_of_work_opened_inside_another_on_the_same_store_is_refused() -> None:
    """Found in review: the lock is re-entrant, so an inner unit of work committed and
    the outer one, rolling back to its snapshot, silently undid that commit."""
    store = InMemoryStore()
    with InMemoryUnitOfWork(store) as uow:
        uow.contracts.add("acme", a_contract("c-1"))
    outer = InMemoryUnitOfWork(store)
    with outer:
        stored = outer.contracts.get("acme", "c-1")
        outer.contracts.save("acme", stored.evolve(attrs.evolve(stored.value, notes="outer")))
        inner = InMemoryUnitOfWork(store)
        with pytest.raises(InvalidArgumentError, match="another unit of work"):
            inner.__enter__()
    with InMemoryUnitOfWork(store) as uow:  # the outer commit stands; the store is usable
        current = uow.contracts.get("acme", "c-1")
        assert (current.version, current.value.notes) == (2, "outer")
