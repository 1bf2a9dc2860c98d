from __future__ import annotations

from datetime import date

from contractcore.contracts._billing_demo import render, sample_contracts


def test_the_demo_shows_an_invoice_run_with_breakdowns_and_a_penalty_quote() -> None:
    text = render(date(2026, 11, 23))
    lines = text.splitlines()
    assert 10 <= len(lines) <= 25
    assert lines[0] == "Invoice run 2026-11-01 .. 2026-11-30 (services invoiced up to 2026-10-31)"
    assert "      2026-11-01 price USD 45.00 -> USD 46.80" in lines
    assert "      2026-11-16 quantity 25 -> 30" in lines
    assert "    VPS large              3 x   JPY 10,045 =     JPY 30,135  30/30 days" in lines
    assert lines[-2] == "  charges 2026-11-24 .. 2027-12-31: USD 20,229.77 over 28 billing periods"
    assert lines[-1] == "  penalty: USD 2,022.98 (10 % of the remaining charges)"


def test_the_demo_shows_a_whole_period_line_and_a_prorated_line_split_at_its_change() -> None:
    lines = render(date(2026, 11, 23)).splitlines()
    assert "    Managed firewall       1 x    USD 89.00 =      USD 89.00  30/30 days" in lines
    split = lines.index("    Workstations                 in 2 parts =   USD 1,287.00  30/30 days")
    assert lines[split + 1 : split + 3] == [
        "      2026-11-01..2026-11-15 15/30 days 25 x USD 46.80",
        "      2026-11-16..2026-11-30 15/30 days 30 x USD 46.80",
    ]


def test_the_demo_is_deterministic_and_works_for_any_day() -> None:
    assert render(date(2026, 11, 23)) == render(date(2026, 11, 23))
    december = render(date(2026, 12, 2))
    assert "      2026-12-01 price USD 11.90 -> USD 12.257" in december
    assert "x   USD 12.257 =" in december
    for day in (date(2025, 1, 1), date(2026, 1, 1), date(2028, 6, 30)):
        assert render(day).startswith("Invoice run")


def test_the_sample_contracts_are_active_with_schedules() -> None:
    contracts = sample_contracts()
    assert len(contracts) == 3
    assert all(c.status == "active" and c.schedules for c in contracts)
