"""Pricing: services, contract price overrides, the product blocklist and line items.

A contract's :class:`BillingTerms` say when its services' periods are due and
how they fall. A contract's :class:`PriceOverride` replaces a product's list price on every
line added after it exists; a product on the contract's ``blocklist`` cannot
be added at all. Lines are snapshots (:class:`LineItem`).
"""

from __future__ import annotations

from contractcore._public import publish
from contractcore.pricing._billing import Alignment, BillingDay, BillingMode, BillingTerms
from contractcore.pricing._history import (
    AmendmentCause,
    Cause,
    Change,
    PriceChange,
    QuantityChange,
    RenewalCause,
    ScheduleCause,
)
from contractcore.pricing._lines import (
    LineItem,
    PriceOverride,
    PriceSource,
    PricingTerms,
    add_line,
)
from contractcore.pricing._period import Period, add_months
from contractcore.pricing._service import Service

__all__ = [
    "Alignment",
    "AmendmentCause",
    "BillingDay",
    "BillingMode",
    "BillingTerms",
    "Cause",
    "Change",
    "LineItem",
    "Period",
    "PriceChange",
    "PriceOverride",
    "PriceSource",
    "PricingTerms",
    "QuantityChange",
    "RenewalCause",
    "ScheduleCause",
    "Service",
    "add_line",
    "add_months",
]

publish(__name__)  # the names above report contractcore.pricing, not its private modules
