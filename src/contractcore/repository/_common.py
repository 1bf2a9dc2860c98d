"""Checks and messages shared by every backend, so they fail the same way."""

from __future__ import annotations

from contractcore.errors import ConcurrencyError, InvalidArgumentError, NotFoundError
from contractcore.pricing import Period

__all__ = ["check_key", "check_tenant", "duplicate", "line_key", "missing", "stale"]


def check_tenant(tenant: object) -> str:
    """Return ``tenant`` if it is a non-empty string, else raise InvalidArgumentError."""
    if not isinstance(tenant, str) or not tenant.strip():
        raise InvalidArgumentError(f"tenant must be a non-empty string, got {tenant!r}")
    return tenant


def check_key(kind: str, given: str, expected: str) -> None:
    """Refuse a stored copy whose key does not match its value's key."""
    if given != expected:
        raise InvalidArgumentError(
            f"{kind} key {given!r} does not match the {kind}'s own key {expected!r}"
        )


def missing(kind: str, tenant: str, key: str) -> NotFoundError:
    """The error for an aggregate the tenant does not have."""
    return NotFoundError(f"{kind} {key!r} not found in tenant {tenant!r}")


def duplicate(kind: str, tenant: str, key: str) -> ConcurrencyError:
    """The error for adding an aggregate whose key is taken."""
    return ConcurrencyError(f"{kind} {key!r} already exists in tenant {tenant!r}")


def stale(kind: str, tenant: str, key: str, given: int, stored: int) -> ConcurrencyError:
    """The error for saving a copy read at an older version."""
    return ConcurrencyError(
        f"{kind} {key!r} in tenant {tenant!r} is at version {stored}, "
        f"but the copy saved was read at version {given}: reload it and apply the change again"
    )


def line_key(contract_id: str, service_id: str, period: Period) -> tuple[str, str, str, str]:
    """What makes an invoice line unique within a tenant."""
    return (contract_id, service_id, period.first.isoformat(), period.last.isoformat())
