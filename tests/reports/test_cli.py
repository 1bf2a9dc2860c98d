"""``contractcore report sla`` and the demo's report and price chart."""

from __future__ import annotations

import re
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from contractcore.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``main``'s exit status and output; argparse's own refusals exit (status 2) too."""
    try:
        status = main(list(argv))
    except SystemExit as exc:
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def test_the_demo_writes_a_report_and_a_price_chart(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    status, out, _ = run(capsys, "demo")
    assert status == 0
    report = Path(re.findall(r"SLA report of Acme, 2026-11: (\S+)", out)[0])
    chart = Path(re.findall(r"Price chart of c-acme / acme-ws: (\S+)", out)[0])
    assert report.parent.parent == tmp_path
    html = report.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<span id="customer">Acme</span>' in html
    ids = {e.get("id") for e in ET.fromstring(chart.read_text(encoding="utf-8")).iter()}
    assert {"price-0", "quantity-0"} <= ids


def test_report_sla_writes_the_month_of_a_customer_and_of_a_contract(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    assert run(capsys, "demo", "--db", db)[0] == 0
    output = tmp_path / "acme.html"
    status, out, _ = run(
        capsys, "report", "sla", "--db", db, "--customer", "Acme", "--month", "2026-11",
        "--now", "2026-11-23T19:00", "--agreed-resolution", "90", "-o", str(output),
    )  # fmt: skip
    assert (status, out) == (0, f"Wrote the SLA report for 2026-11 to {output}\n")
    html = output.read_text(encoding="utf-8")
    assert 'data-tickets="2"' in html
    assert 'data-agreed="90"' in html
    contract = tmp_path / "contract.html"
    status, _, _ = run(
        capsys, "report", "sla", "--db", db, "--contract", "c-acme", "--month", "2026-11",
        "-o", str(contract),
    )  # fmt: skip
    assert status == 0
    assert '<span id="contract">' in contract.read_text(encoding="utf-8")


def test_report_sla_errors_name_the_argument(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    assert run(capsys, "demo", "--db", db)[0] == 0
    status, _, err = run(
        capsys, "report", "sla", "--db", db, "--customer", "Acme", "--month", "2026-13",
        "-o", str(tmp_path / "x.html"),
    )  # fmt: skip
    assert status == 2
    assert "--month must be YYYY-MM, got '2026-13'" in err
    status, _, err = run(
        capsys, "report", "sla", "--db", db, "--contract", "nope", "--month", "2026-11",
        "-o", str(tmp_path / "x.html"),
    )  # fmt: skip
    assert status == 1  # a contract the database does not have: the data, not the command line
    assert "nope" in err
