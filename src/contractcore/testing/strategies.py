"""Hypothesis strategies the conformance suite draws from (shipped with it).

Needs hypothesis (the ``testing`` extra).
"""

from __future__ import annotations

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - depends on what is installed
    msg = (
        "contractcore.testing.strategies needs hypothesis: install the 'testing' extra "
        f"(pip install 'contractcore[testing]'); {exc}"
    )
    raise ImportError(msg) from exc

from contractcore.pricing import Alignment, BillingDay, BillingMode, BillingTerms

__all__ = ["alignments", "billing_terms"]

_MODES: st.SearchStrategy[BillingMode] = st.sampled_from(["advance", "arrears"])
_NAMED_ALIGNMENTS: st.SearchStrategy[Alignment] = st.sampled_from(["anniversary", "calendar"])
# Month ends are where billing days go wrong (Kill Bill #127, #2133).
_BILLING_DAYS = st.one_of(st.integers(1, 31), st.sampled_from([28, 29, 30, 31]))


def alignments() -> st.SearchStrategy[Alignment]:
    """Anniversary, calendar, or a billing day (month ends drawn often)."""
    return st.one_of(_NAMED_ALIGNMENTS, st.builds(BillingDay, _BILLING_DAYS))


@st.composite
def billing_terms(draw: st.DrawFn, months: int | None = None) -> BillingTerms:
    """Valid billing terms; with ``months``, maybe saying it (every service must have it)."""
    alignment = draw(alignments())
    weekly = not isinstance(alignment, BillingDay) and draw(st.integers(0, 3)) == 0
    return BillingTerms(
        mode=draw(_MODES),
        alignment=alignment,
        billing_period_months=None if weekly or months is None or draw(st.booleans()) else months,
        billing_period_days=7 if weekly else None,
    )
