"""A state machine that invoices one service again and again, moves it between two contracts
and adds schedules, checking the exactly-once rules against the day-by-day reference."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from contractcore.contracts import Contract
from contractcore.pricing import Period, Service
from contractcore.schedules import Schedule, apply_schedules
from tests.pricing.strategies import dates, make_contract, make_service, schedules
from tests.schedules.reference import reference_apply


class Invoicing(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.contracts: dict[str, Contract] = {
            "a": make_contract(id="a", start_date=date(2025, 6, 1), term_months=36),
            "b": make_contract(id="b", start_date=date(2026, 2, 1), term_months=24),
        }
        self.current = "a"
        self.service: Service = make_service(start_date=date(2025, 9, 30))
        self.marks: list[date | None] = [None]
        # (contract id, schedule index, event index) of every event applied so far
        self.applied: set[tuple[str, int, int]] = set()

    @rule(schedule=schedules(("s-1", "s-2")), to=st.sampled_from(["a", "b"]))
    def add_a_schedule(self, schedule: Schedule, to: str) -> None:
        contract = self.contracts[to]
        self.contracts[to] = attrs.evolve(contract, schedules=(*contract.schedules, schedule))

    @rule()
    def move_the_service(self) -> None:
        self.current = "b" if self.current == "a" else "a"

    @rule(first=dates(date(2025, 9, 1), date(2028, 6, 30)), days=st.integers(0, 120))
    def invoice(self, first: date, days: int) -> None:
        contract = self.contracts[self.current]
        period = Period(first, first + timedelta(days=days))
        before = self.service
        run = apply_schedules(contract, before, period)
        price, quantity, mark, expected = reference_apply(contract, before, period.last)
        assert [(a.on, a.schedule_index, a.event_index) for a in run.applied] == expected
        assert (run.service.unit_price.amount, run.service.quantity) == (price, quantity)
        assert run.service.applied_up_to == mark
        for event in run.applied:
            key = (self.current, event.schedule_index, event.event_index)
            assert key not in self.applied, f"{key} applied twice"
            self.applied.add(key)
            assert before.applied_up_to is None or event.on > before.applied_up_to
            assert event.on <= period.last
        self.service = run.service
        self.marks.append(run.service.applied_up_to)

    @precondition(lambda self: self.service.applied_up_to is not None)
    @rule(back=st.integers(0, 400))
    def invoice_an_older_period_again(self, back: int) -> None:
        assert self.service.applied_up_to is not None
        last = self.service.applied_up_to - timedelta(days=back)
        run = apply_schedules(self.contracts[self.current], self.service, Period(last, last))
        assert run.applied == ()
        assert run.service == self.service

    @invariant()
    def the_watermark_never_moves_back(self) -> None:
        known = [m for m in self.marks if m is not None]
        assert known == sorted(known)


# The loaded profile's examples, with short runs: each step replays days with the reference.
Invoicing.TestCase.settings = settings(stateful_step_count=15)
TestInvoicing = Invoicing.TestCase
