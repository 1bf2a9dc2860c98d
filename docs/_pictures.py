"""Build the pictures docs/reports.md shows, at docs-build time (called from conf.py).

The sample tickets are the report tests' (tests/reports/data.py): conf.py puts
the repository root on the path.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from contractcore.contracts import Contract
from contractcore.money import Money
from contractcore.pricing import Service
from contractcore.reports import (
    compliance_trend_svg,
    monthly_sla_report,
    price_chart_svg,
    sla_timeline_svg,
)
from contractcore.schedules import PRICE, After, Percent, Schedule, UpdateEvent, price_timeline
from contractcore.sla import explain
from tests.reports.data import NOW, tickets

HERE = Path(__file__).resolve().parent
OUT = HERE / "_generated"


def build() -> None:
    """Write a sample report, a ticket timeline, a trend and a price chart into _generated."""
    OUT.mkdir(exist_ok=True)
    sample = tickets()
    agreed = {"response": Decimal(95), "resolution": Decimal(80)}
    (OUT / "sla-report.html").write_text(
        monthly_sla_report(
            sample, month="2026-05", now=NOW, customer="Acme", contract="Support", agreed=agreed
        ),
        encoding="utf-8",
    )
    paused = sample[-3]
    (OUT / "timeline.svg").write_text(
        sla_timeline_svg(explain(paused.policy, paused.events, NOW)), encoding="utf-8"
    )
    trend = [(f"2026-{m:02d}", Decimal(v)) for m, v in ((1, 97), (2, 92), (3, 99), (4, 96))]
    (OUT / "trend.svg").write_text(compliance_trend_svg(trend, agreed=Decimal(95)), "utf-8")
    service = Service(
        id="s-1",
        product_id="backup",
        unit_price=Money("100.00", "USD"),
        start_date=date(2026, 1, 1),
    )
    uplift = Schedule(events=[UpdateEvent(After(months=6), PRICE, Percent(10))])
    contract = Contract(
        id="c-1", number="CT-1", customer_id="42", name="Backup", start_date=date(2026, 1, 1),
        term_months=24, services=(service,), schedules=(uplift,),
    )  # fmt: skip
    points = price_timeline(contract, service, date(2027, 12, 31))
    (OUT / "price.svg").write_text(price_chart_svg(points, until=date(2027, 12, 31)), "utf-8")
