"""Reports people look at: a self-contained monthly SLA report (HTML) and SVG charts.

Needs the ``reports`` extra (jinja2 and matplotlib): ``pip install contractcore[reports]``.
"""

from __future__ import annotations

from contractcore.reports._charts import compliance_trend_svg, price_chart_svg, sla_timeline_svg
from contractcore.reports._monthly import ReportTicket, monthly_sla_report

__all__ = [
    "ReportTicket",
    "compliance_trend_svg",
    "monthly_sla_report",
    "price_chart_svg",
    "sla_timeline_svg",
]
