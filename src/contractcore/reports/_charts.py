"""Charts as pure functions returning SVG text: a ticket's SLA timeline, a trend, a price chart.

Every drawn element carries an SVG ``id`` (matplotlib's ``gid``) naming what it
shows, so a host or a test can match it to the data. The output is
deterministic: fixed hash salt, no date in the metadata.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from contractcore.errors import InvalidArgumentError
from contractcore.schedules import PricePoint
from contractcore.sla import Explanation, Segment

try:
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.dates import date2num
    from matplotlib.figure import Figure
except ImportError as exc:  # pragma: no cover - depends on the installation
    msg = (
        "contractcore.reports needs matplotlib: install the 'reports' extra (contractcore[reports])"
    )
    raise ImportError(msg) from exc

__all__ = ["compliance_trend_svg", "price_chart_svg", "sla_timeline_svg"]

#: Colour of each segment kind on the timeline.
KIND_COLORS = {
    "counted": "#2e7d32",
    "closed": "#bdbdbd",
    "holiday": "#8e24aa",
    "paused": "#f9a825",
    "resolved": "#1565c0",
}
_HOUR = timedelta(hours=1)
_PREFIX = re.compile(r"[A-Za-z0-9_-]*")
_RC: dict[str, Any] = {"svg.hashsalt": "contractcore", "svg.fonttype": "none", "font.size": 9}


def _svg(figure: Figure) -> str:
    """The figure as SVG text, without the XML prolog and metadata (so it embeds inline)."""
    buffer = io.StringIO()
    with matplotlib.rc_context(_RC):  # type: ignore[arg-type]
        FigureCanvasSVG(figure).print_svg(  # type: ignore[no-untyped-call]
            buffer, metadata={"Date": None}
        )
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    # The RDF metadata block only names its vocabularies' URLs: leave it out.
    start, end = text.find("<metadata>"), text.find("</metadata>")
    if start != -1 and end != -1:
        text = text[:start] + text[end + len("</metadata>") :]
    return text


def _figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(_RC):  # type: ignore[arg-type]
        return Figure(figsize=(width, height), dpi=72)


def _day(day: date) -> float:
    return float(date2num(day))  # type: ignore[no-untyped-call]


def _hours(start: datetime, instant: datetime) -> float:
    return (instant - start) / _HOUR


def sla_timeline_svg(explanation: Explanation, *, prefix: str = "") -> str:
    """A ticket's SLA clocks as SVG: one bar per clock, a rectangle per segment.

    Element ids: ``segment-{clock}-{n}`` (the n-th segment of ``response`` or
    ``resolution``, its ``<title>`` the kind and reason), ``mark-{clock}-warning``,
    ``mark-{clock}-deadline``, ``mark-{clock}-completion``, each after
    ``prefix`` (to keep ids unique when a page shows several timelines). The x axis is hours
    since the ticket was opened, up to the last mark or segment before the
    resolution (a resolved tail is cut there).

    >>> from datetime import UTC, datetime, timedelta
    >>> from contractcore.sla import SlaPolicy, StatusChanged, TicketCreated, explain
    >>> policy = SlaPolicy(name="Basic", resolve_within=timedelta(hours=4))
    >>> opened = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
    >>> events = [TicketCreated(opened), StatusChanged(opened + timedelta(hours=2), "Resolved")]
    >>> svg = sla_timeline_svg(explain(policy, events, opened + timedelta(hours=3)))
    >>> svg.startswith("<svg"), 'id="segment-resolution-0"' in svg
    (True, True)
    """
    if not _PREFIX.fullmatch(prefix):
        msg = f"prefix must be letters, digits, '-' and '_', got {prefix!r}"
        raise InvalidArgumentError(msg)
    start = explanation.status.created_at
    clocks: list[tuple[str, Any, tuple[Segment, ...]]] = [
        ("response", explanation.status.response, explanation.response),
        ("resolution", explanation.status.resolution, explanation.resolution),
    ]
    shown = [clock for clock in clocks if clock[1] is not None]
    figure = _figure(8, 0.9 + 0.6 * len(shown))
    axes = figure.add_subplot()
    for row, (name, target, segments) in enumerate(shown):
        for number, segment in enumerate(segments):
            left = _hours(start, segment.start)
            bar = axes.barh(
                row,
                _hours(segment.start, segment.end),
                left=left,
                height=0.5,
                color=KIND_COLORS[segment.kind],
            )
            bar.patches[0].set_gid(f"{prefix}segment-{name}-{number}")
        marks = (
            ("warning", target.warning_at, "#ef6c00", "--"),
            ("deadline", target.due_at, "#c62828", "-"),
            ("completion", target.completed_at, "#1565c0", ":"),
        )
        for mark, instant, color, style in marks:
            if instant is None:
                continue
            x = _hours(start, instant)
            line = axes.plot([x, x], [row - 0.4, row + 0.4], color=color, linestyle=style, lw=2)
            line[0].set_gid(f"{prefix}mark-{name}-{mark}")
    # Up to the last thing that happened: a long ``resolved`` tail would squash the rest.
    ends = [
        _hours(start, instant)
        for _name, target, segments in shown
        for instant in (
            target.warning_at,
            target.due_at,
            target.completed_at,
            *(segment.end for segment in segments if segment.kind != "resolved"),
        )
        if instant is not None
    ]
    axes.set_xlim(0, max([*ends, 1.0]) * 1.05)
    axes.set_yticks(range(len(shown)), [name for name, _t, _s in shown])
    axes.invert_yaxis()
    axes.set_xlabel("hours since opened")
    axes.set_ylim(-0.6, len(shown) - 0.4)
    figure.tight_layout()
    return _titled(_svg(figure), explanation, prefix)


def _titled(svg: str, explanation: Explanation, prefix: str) -> str:
    """Add a ``<title>`` (kind and reason, escaped) to each segment's group."""
    for name, segments in (
        ("response", explanation.response),
        ("resolution", explanation.resolution),
    ):
        for number, segment in enumerate(segments):
            opening = f'<g id="{prefix}segment-{name}-{number}">'
            title = escape(f"{segment.kind}: {segment.reason}")
            svg = svg.replace(opening, f"{opening}<title>{title}</title>", 1)
    return svg


def compliance_trend_svg(
    points: Sequence[tuple[str, Decimal | None]], *, agreed: Decimal | None = None
) -> str:
    """Met percentage per period as an SVG bar chart, with the agreed level as a line.

    Element ids: ``bar-{n}`` for the n-th period (omitted when its value is
    None: nothing decided), ``agreed`` for the agreed level, ``label-{n}`` for
    the period's tick label.

    >>> from decimal import Decimal
    >>> svg = compliance_trend_svg([("2026-04", Decimal("90")), ("2026-05", None)],
    ...                            agreed=Decimal("95"))
    >>> 'id="bar-0"' in svg, 'id="bar-1"' in svg, 'id="agreed"' in svg
    (True, False, True)
    """
    figure = _figure(8, 2.6)
    axes = figure.add_subplot()
    for number, (_label, value) in enumerate(points):
        if value is None:
            continue
        color = "#2e7d32" if agreed is None or value >= agreed else "#c62828"
        bar = axes.bar(number, float(value), color=color, width=0.6)
        bar.patches[0].set_gid(f"bar-{number}")
    if agreed is not None:
        line = axes.axhline(float(agreed), color="#424242", linestyle="--", lw=1)
        line.set_gid("agreed")
    axes.set_xticks(range(len(points)), [label for label, _v in points], rotation=45)
    for number, tick in enumerate(axes.get_xticklabels()):
        tick.set_gid(f"label-{number}")
    axes.set_ylim(0, 105)
    axes.set_ylabel("met %")
    figure.tight_layout()
    return _svg(figure)


def price_chart_svg(points: Sequence[PricePoint], *, until: date | None = None) -> str:
    """A service's unit price and quantity over time, from :func:`price_timeline` points.

    Steps: ``price-{n}`` and ``quantity-{n}`` from the n-th point to the next
    (solid for history, dashed for the projection from schedules);
    ``change-{n}`` labels each point that has changes, its text naming them.

    >>> from datetime import date
    >>> from contractcore.money import Money
    >>> from contractcore.schedules import PricePoint
    >>> from decimal import Decimal
    >>> points = [PricePoint(on=date(2026, 1, 1), unit_price=Money("100", "USD"),
    ...                      quantity=Decimal(1)),
    ...           PricePoint(on=date(2026, 7, 1), unit_price=Money("110", "USD"),
    ...                      quantity=Decimal(1), projected=True)]
    >>> svg = price_chart_svg(points)
    >>> 'id="price-1"' in svg and 'id="quantity-0"' in svg
    True
    """
    if not points:
        msg = "points must not be empty, got ()"
        raise InvalidArgumentError(msg)
    last = until or points[-1].on + timedelta(days=90)
    figure = _figure(8, 3.2)
    axes = figure.add_subplot()
    other = axes.twinx()
    for number, point in enumerate(points):
        end = points[number + 1].on if number + 1 < len(points) else last
        style = "--" if point.projected else "-"
        price = float(point.unit_price.amount)
        line = axes.plot(
            [_day(point.on), _day(end)],
            [price, price],
            color="#1565c0",
            linestyle=style,
            lw=2,
        )
        line[0].set_gid(f"price-{number}")
        quantity = float(point.quantity)
        qline = other.plot(
            [_day(point.on), _day(end)],
            [quantity, quantity],
            color="#ef6c00",
            linestyle=style,
            lw=1,
        )
        qline[0].set_gid(f"quantity-{number}")
        if point.changes:
            text = "; ".join(change.describe() for change in point.changes)
            label = axes.annotate(
                text,
                (_day(point.on), price),
                xytext=(2, 6),
                textcoords="offset points",
                fontsize=7,
            )
            label.set_gid(f"change-{number}")
    prices = [float(point.unit_price.amount) for point in points]
    axes.set_ylim(0, max(prices) * 1.3 or 1)
    quantities = [float(point.quantity) for point in points]
    other.set_ylim(0, max(quantities) * 1.3 or 1)
    axes.set_ylabel(f"unit price ({points[0].unit_price.currency})")
    other.set_ylabel("quantity")
    axes.xaxis_date()
    figure.autofmt_xdate()
    figure.tight_layout()
    return _svg(figure)
