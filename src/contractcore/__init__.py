"""contractcore: service contracts and SLAs as pure functions.

The stable public API is re-exported here; everything else is reachable from
its subpackage (``contractcore.sla``, ``contractcore.contracts``, ...).
"""

from __future__ import annotations

from contractcore.errors import ContractCoreError
from contractcore.sla.calendar import BusinessCalendar

__all__ = ["BusinessCalendar", "ContractCoreError", "__version__"]

__version__ = "0.1.0.dev0"
