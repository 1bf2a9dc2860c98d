"""The repository's own stored records: invoice lines, old and new."""

from __future__ import annotations

from datetime import date

from contractcore.pricing import Period
from contractcore.repository import InvoicedLine
from contractcore.repository._documents import decode, encode
from contractcore.schedules import invoice_run
from contractcore.testing.samples import a_contract

FEBRUARY = Period(date(2026, 2, 1), date(2026, 2, 28))


def test_a_line_stored_before_lines_stated_their_days_reads_as_the_whole_period() -> None:
    (line, _) = invoice_run(a_contract(), FEBRUARY).lines
    document = encode(InvoicedLine(contract_id="c-1", line=line))
    for key in ("days", "period_days", "parts"):
        del document["data"][key]
    read = decode(InvoicedLine, document).line
    assert (read.days, read.period_days, read.parts) == (28, 28, ())
    assert read == line._replace(parts=())


def test_a_stored_line_keeps_its_parts_without_their_unrounded_amounts() -> None:
    (line, _) = invoice_run(a_contract(), FEBRUARY).lines
    document = encode(InvoicedLine(contract_id="c-1", line=line))
    assert document["data"]["parts"] == [
        {
            "first": "2026-02-01",
            "last": "2026-02-28",
            "unit_price": {"amount": "1100.0000", "currency": "USD"},
            "quantity": "2",
        }
    ]
    assert decode(InvoicedLine, document).line == line
