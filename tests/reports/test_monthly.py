"""The monthly report's figures are compliance_report's, and data text is escaped."""

from __future__ import annotations

import re
from datetime import UTC
from decimal import Decimal

import pytest

from contractcore.errors import InvalidArgumentError
from contractcore.reports import monthly_sla_report
from contractcore.sla import compliance_report, evaluate, percentile
from tests.reports.data import HOSTILE, NOW, Elements, tickets
from tests.reports.data import parse as _parse

AGREED = {"response": Decimal("95"), "resolution": Decimal("80")}


def _by_id(parsed: Elements, element_id: str) -> dict[str, str | None]:
    return next(attrs for _tag, attrs in parsed.tags if attrs.get("id") == element_id)


def test_figures_equal_compliance_report() -> None:
    everything = tickets()
    html = monthly_sla_report(
        everything, month="2026-05", now=NOW, customer="Acme", contract="Support", agreed=AGREED
    )
    statuses = [evaluate(t.policy, t.events, NOW) for t in everything]
    month = [s for s in statuses if s.created_at.astimezone(UTC).strftime("%Y-%m") == "2026-05"]
    expected = compliance_report(("Support", status) for status in month).total
    parsed = _parse(html)
    assert _by_id(parsed, "report")["data-tickets"] == str(expected.tickets) == "4"
    for name in ("response", "resolution"):
        row = _by_id(parsed, f"target-{name}")
        figures = getattr(expected, name)
        assert row["data-met"] == str(figures.met)
        assert row["data-breached"] == str(figures.breached)
        assert row["data-in-progress"] == str(figures.in_progress)
        assert row["data-met-percent"] == str(figures.met_percent)
        assert row["data-agreed"] == str(AGREED[name])
        assert row["data-median-seconds"] == str(int(figures.median.total_seconds()))
        assert row["data-p90-seconds"] == str(int(figures.p90.total_seconds()))
        # and the percentiles are the nearest-rank ones of the completed targets
        done = [getattr(s, name).elapsed for s in month if getattr(s, name).is_complete]
        assert figures.p90 == percentile(done, 90)


def test_trend_points_are_the_monthly_met_percentages() -> None:
    everything = tickets()
    html = monthly_sla_report(everything, month="2026-05", now=NOW, customer="Acme")
    statuses = [evaluate(t.policy, t.events, NOW) for t in everything]
    by_month = compliance_report((s.created_at.strftime("%Y-%m"), s) for s in statuses)
    points = _by_id(_parse(html), "trend-resolution")["data-points"] or ""
    shown = dict(pair.split("=") for pair in points.split(";"))
    assert len(shown) == 12
    assert shown["2025-06"] == ""  # no ticket that month
    for group in by_month.groups:
        assert shown[str(group.key)] == str(group.resolution.met_percent)


def test_worst_tickets_and_pauses_are_shown() -> None:
    html = monthly_sla_report(tickets(), month="2026-05", now=NOW, customer="Acme", worst=2)
    parsed = _parse(html)
    worst = [a for tag, a in parsed.tags if tag == "div" and a.get("class") == "ticket"]
    assert len(worst) == 2
    assert html.count("<svg") == 2 + 2  # two timelines, two trends
    pauses = [a for tag, a in parsed.tags if tag == "tr" and a.get("class") == "pause"]
    assert len(pauses) == 1
    assert "status 'Waiting on Customer'" in "".join(parsed.text)


def test_customer_report_shows_each_contract() -> None:
    html = monthly_sla_report(
        tickets(contracts=("Support", "Hosting")), month="2026-05", now=NOW, customer="Acme"
    )
    rows = [a for tag, a in _parse(html).tags if tag == "tr" and a.get("class") == "contract-row"]
    assert [row["data-tickets"] for row in rows] == ["4", "4"]


def test_no_external_url_anywhere() -> None:
    html = monthly_sla_report(tickets(), month="2026-05", now=NOW, customer="Acme")
    for _tag, attrs in _parse(html).tags:
        for key in ("src", "href"):
            assert key not in attrs or not attrs[key]
    # the SVG namespaces are identifiers, not fetched
    urls = set(re.findall(r"https?://[^\s\"'<>]+", html))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_data_is_escaped(text: str) -> None:
    html = monthly_sla_report(
        tickets(text), month="2026-05", now=NOW, customer=text, contract=text, agreed=AGREED
    )
    parsed = _parse(html)
    assert not [tag for tag, _a in parsed.tags if tag in ("script", "img", "a")]
    for _tag, attrs in parsed.tags:
        assert not any(key.startswith("on") for key in attrs)
    assert text in "".join(parsed.text)
    assert "<script>" not in html


def test_bad_arguments_name_field_and_value() -> None:
    with pytest.raises(InvalidArgumentError, match="month must be YYYY-MM, got '2026-13'"):
        monthly_sla_report([], month="2026-13", now=NOW, customer="Acme")
    with pytest.raises(InvalidArgumentError, match=r"agreed\['resolution'\] must be within"):
        monthly_sla_report(
            [], month="2026-05", now=NOW, customer="Acme", agreed={"resolution": Decimal(101)}
        )
    with pytest.raises(InvalidArgumentError, match="now must be an aware datetime"):
        monthly_sla_report([], month="2026-05", now=NOW.replace(tzinfo=None), customer="A")
