"""contractcore: service contracts and SLAs as pure functions."""

from __future__ import annotations

from contractcore.errors import ContractCoreError

__all__ = ["ContractCoreError", "__version__"]

__version__ = "0.1.0.dev0"
