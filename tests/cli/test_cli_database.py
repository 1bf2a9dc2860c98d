from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import attrs
import pytest

from contractcore.cli import main
from contractcore.contracts import Contract
from contractcore.errors import ContractCoreError, StorageError
from contractcore.money import Money
from contractcore.pricing import Service
from contractcore.repository.sql import SqlUnitOfWork, open_engine
from contractcore.schedules import PRICE, Delta, On, Schedule, UpdateEvent


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'contracts.db'}"


def test_the_demo_reads_its_sections_back_from_a_sqlite_database(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "demo")
    assert status == 0
    assert "Stored the sample data in a temporary SQLite database" in out
    assert "SLA board, Mon 2026-11-23 14:00 EST (8 stored tickets)" in out
    assert "#1045 Acme      Standard  red     breached" in out
    assert "renew     CT-1005-0005  Elm Clinic: Hosting, monthly" in out
    assert "Invoice run 2026-11-01 .. 2026-11-30: 5 new line(s)" in out
    assert "      2026-11-16 quantity 25 -> 30" in out
    assert "    Workstations                 in 2 parts =   USD 1,287.00  30/30 days" in out
    assert "      2026-11-16..2026-11-30 15/30 days 30 x USD 46.80" in out
    assert "    Managed firewall       1 x    USD 89.00 =      USD 89.00  30/30 days" in out
    assert "  penalty: USD 2,022.98 (10 % of the remaining charges)" in out


def test_a_second_demo_on_the_same_database_bills_nothing_twice(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    assert run(capsys, "demo", "--db", db)[0] == 0
    status, out, _ = run(capsys, "demo", "--db", db)
    assert status == 0
    assert "Found the sample data in database" in out
    assert "Invoice run 2026-11-01 .. 2026-11-30: 0 new line(s)" in out
    assert "5 service(s) already invoiced for this period: not billed again." in out
    assert "Nightly job on 2026-11-23: 0 step(s), saved" in out


def test_invoice_run_renewals_and_the_board_work_on_the_demo_database(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    run(capsys, "demo", "--db", db)
    status, out, _ = run(capsys, "invoice-run", "2026-12", "--db", db)
    assert status == 0
    assert out.startswith("Invoice run 2026-12-01 .. 2026-12-31: 3 new line(s)")
    assert "Birch" not in out  # its term ends 2026-11-30 and the nightly job has not renewed it
    assert "Workstations          30 x    USD 46.80 =   USD 1,404.00  31/31 days" in out
    assert "      2026-12-10..2026-12-31 22/31 days 1 x USD 124.80" in out
    again = run(capsys, "invoice-run", "2026-12-01..2026-12-31", "--db", db)[1]
    assert again.startswith("Invoice run 2026-12-01 .. 2026-12-31: 0 new line(s)")
    status, out, _ = run(capsys, "renewals", "--db", db, "--today", "2026-11-25", "--within", "7")
    assert status == 0
    assert "2026-11-30     5  complete  CT-1002-0002  Birch Dental: Antivirus, 25 seats" in out
    status, out, _ = run(capsys, "sla", "board", "--db", db, "--now", "2026-11-23T19:00:00+00:00")
    assert status == 0
    assert "#1043 Initech   Gold      orange  at_risk" in out
    assert run(capsys, "sla", "board", "--db", db, "--tenant", "other")[1].startswith("SLA board")
    # Found in the docs audit: a board of an earlier moment failed on a later ticket.
    status, out, _ = run(capsys, "sla", "board", "--db", db, "--now", "2026-11-23T12:00")
    assert status == 0
    assert "ticket(s) created after then not shown." in out


def test_invoice_run_lists_a_failed_contract_exits_1_and_still_writes_the_others(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    run(capsys, "demo", "--db", db)
    # A December discount larger than the price: bad data a stored contract can hold.
    discount = UpdateEvent(On(date(2026, 12, 1)), PRICE, Delta(Money("-150.00", "USD")))
    bad = Contract(
        id="c-bad",
        number="CT-9999-0001",
        customer_id="9999",
        name="Oak Bakery: Backup",
        status="active",
        start_date=date(2026, 11, 1),
        term_months=12,
        services=(
            Service(
                id="backup",
                product_id="backup",
                unit_price=Money("100.00", "USD"),
                start_date=date(2026, 11, 1),
                description="Backup",
            ),
        ),
        schedules=(Schedule(name="discount", events=[discount]),),
    )
    engine = open_engine(db)
    with SqlUnitOfWork(engine) as uow:
        uow.contracts.add("default", bad)

    status, out, err = run(capsys, "invoice-run", "2026-12", "--db", db)

    assert status == 1
    assert out.startswith(
        "Invoice run 2026-12-01 .. 2026-12-31: 3 new line(s), 1 contract(s) failed\n"
    )
    assert "Workstations          30 x    USD 46.80 =   USD 1,404.00" in out
    assert out.endswith(
        "  Failed, nothing written for them (fix them and run the period again):\n"
        "    c-bad  CT-9999-0001  Oak Bakery: Backup\n"
        "      InvalidArgumentError: update event on 2026-12-01 would make the price of "
        "service 'backup' negative: USD 100.00 -> USD -50.00\n"
    )
    assert err == (
        "contractcore: error: 1 contract(s) not invoiced (listed above); "
        "the other contracts' lines were written\n"
    )

    with SqlUnitOfWork(engine) as uow:
        stored = uow.contracts.get("default", "c-bad")
        assert stored.version == 1
        uow.contracts.save("default", stored.evolve(attrs.evolve(bad, schedules=())))
    engine.dispose()
    status, out, err = run(capsys, "invoice-run", "2026-12", "--db", db)
    assert (status, err) == (0, "")
    assert out.startswith("Invoice run 2026-12-01 .. 2026-12-31: 1 new line(s)\n  CT-9999-0001")
    assert "3 service(s) already invoiced for this period: not billed again." in out
    assert "Failed" not in out


def test_sla_evaluate_reads_a_json_document_and_prints_the_status_as_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "ticket.json"
    path.write_text(
        json.dumps(
            {
                "schema": "contractcore/1",
                "policy": {"name": "Basic", "response_within": "PT1H"},
                "events": [{"type": "ticket_created", "at": "2026-05-04T10:00:00+00:00"}],
                "now": "2026-05-04T12:00:00+00:00",
            }
        )
    )
    status, out, _ = run(capsys, "sla", "evaluate", str(path))
    assert status == 0
    result = json.loads(out)
    assert result["type"] == "SlaStatus"
    assert result["data"]["response"]["breached_at"] == "2026-05-04T11:00:00+00:00"
    # The result is a JSON document already: --format json prints the same one.
    status, out, _ = run(capsys, "sla", "evaluate", str(path), "--format", "json")
    assert (status, json.loads(out)) == (0, result)


@pytest.mark.parametrize(
    ("argv", "message", "code"),
    [
        (["invoice-run", "November", "--db", "sqlite://"], "PERIOD must look like 2026-11", 2),
        (["invoice-run", "2026-11", "--db", "nosuchdb://x"], "database URL 'nosuchdb://x'", 2),
        (
            ["sla", "board", "--db", "sqlite:////nonexistent/dir/x.db"],
            "--db: no database file /nonexistent/dir/x.db",
            3,
        ),
        (
            ["invoice-run", "2026-11", "--db", "sqlite:///typo-contractcore.db"],
            "--db: no database file typo-contractcore.db",
            3,
        ),
        (["sla", "evaluate", "/nonexistent.json"], "FILE /nonexistent.json", 2),
        (["sla", "board", "--db", "sqlite://", "--now", "noon"], "--now must be an ISO 8601", 2),
    ],
)
def test_database_commands_print_one_clear_line_on_error(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str, code: int
) -> None:
    status, out, err = run(capsys, *argv)
    assert status == code
    assert out == ""
    assert err.count("\n") == 1
    assert message in err


def test_a_malformed_document_names_the_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"schema": "contractcore/1", "policy": {"name": 3}, "events": [], "now": 1}')
    status, _, err = run(capsys, "sla", "evaluate", str(path))
    assert status == 1  # the command line was read: the data is wrong
    assert err.startswith("contractcore: error: policy")


def test_a_zero_byte_a_foreign_or_a_non_database_file_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Issue 14: a zero-byte file became a database; a foreign one got our tables added."""
    empty = tmp_path / "empty.db"
    empty.touch()
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    connection.close()
    garbage = tmp_path / "notes.db"
    garbage.write_text("not a database, just some notes\n" * 200)
    cases = [
        (["sla", "board", "--db", f"sqlite:///{empty}"], "is empty, not a contractcore database"),
        (["invoice-run", "2026-11", "--db", f"sqlite:///{foreign}"], "another application's"),
        (["demo", "--db", f"sqlite:///{foreign}"], "tables invoices"),
        (["renewals", "--db", f"sqlite:///{garbage}"], "cannot be read as a database"),
    ]
    for argv, message in cases:
        status, out, err = run(capsys, *argv)
        assert (status, out, err.count("\n")) == (3, "", 1), argv
        assert message in err, (argv, err)
    assert empty.stat().st_size == 0  # nothing was written to it
    with sqlite3.connect(foreign) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master")]
    connection.close()
    assert tables == ["invoices"]


def test_the_demo_creates_its_tables_in_a_zero_byte_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    empty = tmp_path / "new.db"
    empty.touch()
    status, _, _ = run(capsys, "demo", "--db", f"sqlite:///{empty}")
    assert status == 0
    status, out, _ = run(capsys, "sla", "board", "--db", f"sqlite:///{empty}")
    assert status == 0
    assert out


def test_invoice_run_as_of_a_day_bills_every_due_period_once(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    assert run(capsys, "demo", "--db", db)[0] == 0
    status, out, err = run(capsys, "invoice-run", "--as-of", "2026-12-01", "--db", db)
    assert (status, err) == (0, "")
    first = out.splitlines()[0]
    assert first.startswith("Invoice run of the periods due by 2026-12-01: ")
    written = int(first.split(": ")[1].split()[0])
    assert written > 0
    status, out, _ = run(capsys, "invoice-run", "--as-of", "2026-12-01", "--db", db)
    assert status == 0
    assert out.splitlines()[0] == "Invoice run of the periods due by 2026-12-01: 0 new line(s)"
    status, out, err = run(capsys, "invoice-run", "2026-11", "--as-of", "2026-12-01", "--db", db)
    assert (status, out) == (2, "")
    assert "a PERIOD or --as-of DAY" in err


def test_the_demo_bills_a_calendar_month_in_advance_with_a_stub_month(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    """Issue 13: the demo shows a calendar-aligned contract billed in advance with a stub."""
    status, out, _ = run(capsys, "demo", "--db", db)
    assert status == 0
    section = out.split("Billing periods: ", 1)[1].split("\n\n", 1)[0].splitlines()
    assert "calendar months billed in advance" in section[0]
    assert section[1].endswith("17/31 days 4 x USD 31.00 = USD 68.00")  # the stub month
    assert section[2].endswith("30/30 days 4 x USD 31.00 = USD 124.00")
    status, again, _ = run(capsys, "demo", "--db", db)
    assert status == 0
    assert "nothing due (already billed" in again


def test_a_database_from_a_newer_contractcore_or_out_of_reach_exits_3(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    """Exit status 3: the command line and the data are fine, the database cannot be used."""
    assert run(capsys, "demo", "--db", db)[0] == 0
    with sqlite3.connect(tmp_path / "contracts.db") as connection:
        connection.execute("UPDATE contractcore_schema SET version = 99")
    connection.close()
    status, out, err = run(capsys, "renewals", "--db", db, "--today", "2026-11-23")
    assert (status, out, err.count("\n")) == (3, "", 1)
    assert "schema is version 99, newer than this contractcore's" in err
    # Nothing listens on port 1: the driver's refusal is a storage error too.
    unreachable = "postgresql+psycopg://nobody@127.0.0.1:1/contracts"
    status, out, err = run(capsys, "invoice-run", "2026-11", "--db", unreachable)
    assert (status, out, err.count("\n")) == (3, "", 1)
    assert "Connection refused" in err or "connection failed" in err, err


def test_the_repository_raises_storage_error_for_a_database_out_of_reach() -> None:
    engine = open_engine("postgresql+psycopg://nobody@127.0.0.1:1/contracts")
    with pytest.raises(StorageError) as raised, SqlUnitOfWork(engine):
        pass
    assert isinstance(raised.value, ContractCoreError)
    assert isinstance(raised.value, RuntimeError)
    engine.dispose()
