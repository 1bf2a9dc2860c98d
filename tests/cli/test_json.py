"""``--format json``: every command prints one JSON document with the text's figures."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from contractcore.cli import main


def both(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[str, Any]:
    """The command's text output and its JSON document (each run must succeed)."""
    assert main(list(argv)) == 0
    text, err = capsys.readouterr()
    assert err == ""
    assert main([*argv, "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return text, json.loads(out)  # exactly one document: json.loads refuses anything after it


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    url = f"sqlite:///{tmp_path / 'contracts.db'}"
    assert main(["demo", "--db", url]) == 0
    capsys.readouterr()
    return url


def money_text(money: dict[str, str]) -> str:
    return f"{money['currency']} {Decimal(money['amount']):,}"


def test_calendar_add_and_elapsed(capsys: pytest.CaptureFixture[str]) -> None:
    text, doc = both(capsys, "calendar", "add", "2026-11-20T15:00", "4h", "--timezone", "EST")
    assert text.strip() == doc["deadline"] == "2026-11-23T11:00:00-05:00"
    assert (doc["start"], doc["duration"]) == ("2026-11-20T15:00:00-05:00", "4h")
    text, doc = both(capsys, "calendar", "elapsed", "2026-11-20T15:00", "2026-11-23T11:00")
    assert text.strip() == f"{doc['elapsed']} ({doc['business_hours']} business hours)"
    assert (doc["elapsed"], doc["business_hours"]) == ("4h", "4")


def test_sla_board(capsys: pytest.CaptureFixture[str], db: str) -> None:
    text, doc = both(capsys, "sla", "board", "--db", db, "--now", "2026-11-23T19:00Z")
    rows = text.splitlines()[2:-1]
    assert doc["now"] == "2026-11-23T19:00:00+00:00"
    assert f"({doc['stored_tickets']} stored tickets)" in text
    assert f"{doc['resolved_not_shown']} resolved ticket(s) not shown." in text
    assert len(rows) == len(doc["tickets"]) == 7
    for row, ticket in zip(rows, doc["tickets"], strict=True):
        assert row.startswith(ticket["ticket"])
        assert row.endswith(ticket["remaining"])
        for key in ("policy", "response", "resolution", "next_target"):
            assert f" {ticket[key]} " in row
    assert doc["tickets"][0]["remaining"] == "-1h"


def test_renewals_with_and_without_the_nightly_job(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    text, doc = both(capsys, "renewals", "--db", db, "--today", "2026-11-25", "--within", "7")
    assert doc["nightly_job"] is None
    assert [e["number"] for e in doc["ending"]] == ["CT-1002-0002", "CT-77-0002"]
    for ending in doc["ending"]:
        assert (
            f"{ending['last_day']}  {ending['days_left']:>4}  {ending['then']:<9} "
            f"{ending['number']:<13} {ending['name']}"
        ) in text
    assert f"{doc['stored_contracts']} stored contracts, {doc['active_contracts']} active." in text
    assert (
        main(["renewals", "--db", db, "--today", "2026-12-01", "--apply", "--format", "json"]) == 0
    )
    applied = json.loads(capsys.readouterr().out)
    assert applied["nightly_job"], applied
    assert {step["step"] for step in applied["nightly_job"]} <= {"activate", "renew", "complete"}


def test_invoice_run(capsys: pytest.CaptureFixture[str], db: str) -> None:
    text, doc = both(capsys, "invoice-run", "2027-01", "--db", db)
    # The text run wrote the lines; the JSON run finds them written.
    assert text.startswith("Invoice run 2027-01-01 .. 2027-01-31: 3 new line(s)")
    assert (doc["lines"], doc["already_invoiced"], doc["failures"]) == ([], 3, [])
    assert main(["invoice-run", "2027-02", "--db", db, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert main(["invoice-run", "2027-03", "--db", db]) == 0
    text = capsys.readouterr().out  # the same contracts, the same figures a month on
    assert doc["period"] == {"first": "2027-02-01", "last": "2027-02-28"}
    assert f"{len(doc['lines'])} new line(s)" in text.splitlines()[0]
    for line in doc["lines"]:
        assert money_text(line["amount"]) in text
    for total in doc["totals"].values():
        assert money_text(total) in text


def test_the_demo(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert main(["demo", "--db", url, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert main(["demo", "--db", url]) == 0
    text = capsys.readouterr().out
    assert doc["sample_data_written"] is True
    assert doc["today"] == "2026-11-23"
    assert "\n".join(doc["calendar_tour"]) in text
    assert "\n".join(doc["penalty"]) in text
    assert [t["ticket"] for t in doc["board"]["tickets"]][:2] == ["#1045 Acme", "#1041 Acme"]
    assert len(doc["invoice_run"]["lines"]) == 5
    assert [step["number"] for step in doc["renewals"]["nightly_job"]]
