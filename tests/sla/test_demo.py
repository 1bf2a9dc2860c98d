"""The SLA section of the demo: a triaged board of sample tickets."""

from __future__ import annotations

from datetime import date

from contractcore.sla._demo import render


def test_the_demo_board_lists_open_tickets_worst_first() -> None:
    lines = render(date(2026, 11, 23)).splitlines()

    tickets = [line.split("  ")[0].strip() for line in lines[2:9]]
    assert tickets == [
        "#1045 Acme",
        "#1041 Acme",
        "#1043 Initech",
        "#1047 Globex",
        "#1042 Globex",
        "#1044 Umbrella",
        "#1048 Stark",
    ]
    assert "red" in lines[2]
    assert "orange" in lines[4]
    assert lines[6].endswith("Tue 11-24 15:00       9:00")
    assert lines[-1] == "Next status change on this board: Mon 14:20:00.000001"
    assert 10 <= len(lines) <= 25


def test_the_demo_is_deterministic() -> None:
    assert render(date(2026, 11, 23)) == render(date(2026, 11, 23))
