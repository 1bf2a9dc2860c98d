"""Checks and messages shared by every backend, so they fail the same way."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any

from contractcore.contracts import Contract, ContractNumbering, ContractTemplate
from contractcore.errors import ConcurrencyError, InvalidArgumentError, NotFoundError
from contractcore.pricing import Period
from contractcore.repository._model import Ticket
from contractcore.repository._protocols import (
    AuditRepository,
    ContractRepository,
    InvoiceRepository,
    NumberingRepository,
    SlaPolicyRepository,
    TemplateRepository,
    TicketRepository,
)
from contractcore.sla import SlaPolicy

__all__ = [
    "AUDITED",
    "RepositoryAccess",
    "check_actor",
    "check_id",
    "check_key",
    "check_tenant",
    "duplicate",
    "line_key",
    "missing",
    "stale",
    "summarize",
    "utc_now",
]


class RepositoryAccess:
    """The repositories of a unit of work, reachable only while it is open.

    Each backend's unit of work sets the six repositories and says, in
    ``_open``, how it refuses to be used outside its ``with`` block.
    """

    _contracts: ContractRepository
    _policies: SlaPolicyRepository
    _templates: TemplateRepository
    _tickets: TicketRepository
    _numbering: NumberingRepository
    _invoices: InvoiceRepository
    _audit: AuditRepository

    def _open(self) -> None:
        raise NotImplementedError

    @property
    def contracts(self) -> ContractRepository:
        """The contracts."""
        self._open()
        return self._contracts

    @property
    def sla_policies(self) -> SlaPolicyRepository:
        """The SLA policies."""
        self._open()
        return self._policies

    @property
    def templates(self) -> TemplateRepository:
        """The contract templates."""
        self._open()
        return self._templates

    @property
    def tickets(self) -> TicketRepository:
        """The tickets' SLA timelines."""
        self._open()
        return self._tickets

    @property
    def numbering(self) -> NumberingRepository:
        """The contract numbering."""
        self._open()
        return self._numbering

    @property
    def invoices(self) -> InvoiceRepository:
        """The invoice lines."""
        self._open()
        return self._invoices

    @property
    def audit(self) -> AuditRepository:
        """The audit trail of every write."""
        self._open()
        return self._audit


#: The class stored under each audited aggregate kind.
AUDITED: dict[str, type] = {
    "contract": Contract,
    "SLA policy": SlaPolicy,
    "template": ContractTemplate,
    "ticket": Ticket,
    "numbering": ContractNumbering,
}


def utc_now() -> datetime:
    """The default clock of a unit of work's audit trail (the shell's only clock read)."""
    return datetime.now(UTC)


def check_actor(actor: object) -> str | None:
    """Return ``actor`` if it is ``None`` or an id, else raise InvalidArgumentError."""
    return None if actor is None else check_id("actor", actor)


def summarize(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """What a write changed, for people: the top-level fields whose value differs."""
    if before is None:
        return "added"
    if after is None:
        return "removed"
    old, new = before.get("data", {}), after.get("data", {})
    if not isinstance(old, dict) or not isinstance(new, dict):
        return "changed"
    changed = sorted(name for name in old.keys() | new.keys() if old.get(name) != new.get(name))
    return ", ".join(changed) if changed else "no change"


def check_id(name: str, value: object) -> str:
    """Return ``value`` if it is an id: a non-empty string of printable characters.

    NUL and other control characters are refused by every backend alike (one
    would raise a driver error on PostgreSQL and be stored as is on SQLite).
    """
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgumentError(f"{name} must be a non-empty string, got {value!r}")
    for char in value:
        if unicodedata.category(char) == "Cc":
            raise InvalidArgumentError(
                f"{name} must hold printable characters only, got {value!r} "
                f"(control character U+{ord(char):04X})"
            )
    return value


def check_tenant(tenant: object) -> str:
    """Return ``tenant`` if it is an id (:func:`check_id`), else raise InvalidArgumentError."""
    return check_id("tenant", tenant)


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
