from __future__ import annotations

from datetime import date

from contractcore.contracts import ContractStatus
from contractcore.contracts._demo import render, sample_contracts


def test_the_demo_shows_tonights_steps_and_what_ends_in_the_next_30_days() -> None:
    text = render(date(2026, 11, 23))
    assert "activate  CT-1004-0004" in text
    assert "renew     CT-1005-0005" in text
    assert "2026-11-30     7  complete  CT-1002-0002" in text
    assert "2026-12-09    16  renew     CT-1001-0001" in text
    assert "2026-12-15    22  cancel    CT-1006-0006" in text
    assert "CT-1003-0003" not in text


def test_the_demo_is_deterministic_and_fits_the_tour() -> None:
    text = render(date(2026, 11, 23))
    assert text == render(date(2026, 11, 23))
    assert 10 <= len(text.splitlines()) <= 25
    assert max(len(line) for line in text.splitlines()) <= 100


def test_the_sample_contracts_have_unique_numbers_and_one_cancellation() -> None:
    samples = sample_contracts()
    assert 4 <= len(samples) <= 6
    assert len({c.number for c in samples}) == len(samples)
    assert [c.status for c in samples].count(ContractStatus.CANCELED) == 1
