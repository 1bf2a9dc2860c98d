"""Each chart's SVG elements match its data: segments, marks, bars, steps and labels."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest

from contractcore.contracts import Contract
from contractcore.errors import InvalidArgumentError
from contractcore.money import Money
from contractcore.pricing import Service
from contractcore.reports import compliance_trend_svg, price_chart_svg, sla_timeline_svg
from contractcore.schedules import PRICE, After, Percent, Schedule, UpdateEvent, price_timeline
from contractcore.sla import explain
from tests.reports.data import HOSTILE, NOW, tickets

SVG = "{http://www.w3.org/2000/svg}"


def _ids(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {element.get("id", ""): element for element in root.iter() if element.get("id")}


def test_timeline_has_one_element_per_segment_and_each_mark() -> None:
    for ticket in tickets()[:8]:
        explanation = explain(ticket.policy, ticket.events, NOW)
        ids = _ids(sla_timeline_svg(explanation))
        for clock, segments, target in (
            ("response", explanation.response, explanation.status.response),
            ("resolution", explanation.resolution, explanation.status.resolution),
        ):
            assert target is not None
            drawn = sorted(
                int(i.rsplit("-", 1)[1]) for i in ids if i.startswith(f"segment-{clock}-")
            )
            assert drawn == list(range(len(segments)))
            for number, segment in enumerate(segments):
                title = ids[f"segment-{clock}-{number}"].find(f"{SVG}title")
                assert title is not None
                assert title.text == f"{segment.kind}: {segment.reason}"
            for mark, instant in (
                ("warning", target.warning_at),
                ("deadline", target.due_at),
                ("completion", target.completed_at),
            ):
                assert (f"mark-{clock}-{mark}" in ids) == (instant is not None)


def test_timeline_titles_keep_hostile_status_names_as_text() -> None:
    for text in HOSTILE:
        ticket = tickets(text)[1]  # the one paused in status ``text``
        svg = sla_timeline_svg(explain(ticket.policy, ticket.events, NOW))
        root = ET.fromstring(svg)
        assert not [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] in ("script", "img")]
        titles = [e.text or "" for e in root.iter(f"{SVG}title")]
        assert f"paused: status {text!r}" in titles


def test_trend_draws_a_bar_for_each_decided_month_and_the_agreed_line() -> None:
    points = [("2026-01", Decimal("90")), ("2026-02", None), ("2026-03", Decimal("99.5"))]
    ids = _ids(compliance_trend_svg(points, agreed=Decimal("95")))
    assert {"bar-0", "bar-2", "agreed"} <= ids.keys()
    assert "bar-1" not in ids
    assert {f"label-{n}" for n in range(3)} <= ids.keys()
    labels = ["".join(ids[f"label-{n}"].itertext()).strip() for n in range(3)]
    assert labels == ["2026-01", "2026-02", "2026-03"]


def test_charts_are_deterministic() -> None:
    points = [("2026-01", Decimal("90"))]
    assert compliance_trend_svg(points) == compliance_trend_svg(points)
    explanation = explain(tickets()[0].policy, tickets()[0].events, NOW)
    assert sla_timeline_svg(explanation) == sla_timeline_svg(explanation)


def test_price_chart_steps_and_labels_match_the_timeline() -> None:
    service = Service(
        id="s-1",
        product_id="backup",
        unit_price=Money("100.00", "USD"),
        start_date=date(2026, 1, 1),
    )
    uplift = Schedule(events=[UpdateEvent(After(months=6), PRICE, Percent(10))])
    contract = Contract(
        id="c-1",
        number="CT-1",
        customer_id="42",
        name="Backup",
        start_date=date(2026, 1, 1),
        term_months=24,
        services=(service,),
        schedules=(uplift,),
    )
    points = price_timeline(contract, service, date(2027, 12, 31))
    ids = _ids(price_chart_svg(points, until=date(2027, 12, 31)))
    for number, point in enumerate(points):
        assert f"price-{number}" in ids
        assert f"quantity-{number}" in ids
        assert (f"change-{number}" in ids) == bool(point.changes)
        if point.changes:
            text = "".join(ids[f"change-{number}"].itertext()).strip()
            assert text == "; ".join(change.describe() for change in point.changes)
    assert f"price-{len(points)}" not in ids


def test_timeline_ids_take_a_prefix() -> None:
    ticket = tickets()[1]
    explanation = explain(ticket.policy, ticket.events, NOW)
    ids = _ids(sla_timeline_svg(explanation, prefix="t7-"))
    assert "t7-segment-resolution-0" in ids
    assert "t7-mark-resolution-completion" in ids
    assert ids["t7-segment-resolution-0"].find(f"{SVG}title") is not None
    with pytest.raises(InvalidArgumentError, match=r"prefix must be .*, got '\"x'"):
        sla_timeline_svg(explanation, prefix='"x')
