"""Reports people look at: a self-contained monthly SLA report (HTML) and SVG charts.

Needs the ``reports`` extra (jinja2 and matplotlib): ``pip install contractcore[reports]``.
The names load on first use, so the command line starts without them; using
one without the extra raises an ImportError naming it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from contractcore.reports._charts import (
        compliance_trend_svg,
        price_chart_svg,
        sla_timeline_svg,
    )
    from contractcore.reports._monthly import ReportTicket, monthly_sla_report

__all__ = [
    "ReportTicket",
    "compliance_trend_svg",
    "monthly_sla_report",
    "price_chart_svg",
    "sla_timeline_svg",
]

_HOMES = {
    "ReportTicket": "_monthly",
    "compliance_trend_svg": "_charts",
    "monthly_sla_report": "_monthly",
    "price_chart_svg": "_charts",
    "sla_timeline_svg": "_charts",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
