"""The audit trail's rules, shared by every backend: what an entry holds, how it is read back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from contractcore.errors import InvalidArgumentError, NotFoundError
from contractcore.repository import _documents
from contractcore.repository._common import AUDITED, check_id, check_tenant, summarize
from contractcore.repository._model import AuditAction, AuditEntry, Versioned

__all__ = [
    "Clock",
    "check_idempotency_key",
    "check_kind",
    "new_entry",
    "read_version",
    "replayed",
]

Clock = Callable[[], datetime]


def check_kind(kind: object) -> str:
    """Return ``kind`` if the audit trail keeps it, else raise InvalidArgumentError."""
    if kind not in AUDITED:
        allowed = ", ".join(map(repr, AUDITED))
        raise InvalidArgumentError(f"kind must be one of {allowed}, got {kind!r}")
    assert isinstance(kind, str)
    return kind


def new_entry(
    *,
    tenant: str,
    kind: str,
    key: str,
    version: int,
    action: AuditAction,
    value: object | None,
    before: dict[str, Any] | None,
    actor: str | None,
    clock: Clock,
    idempotency_key: str | None = None,
    document: dict[str, Any] | None = None,
) -> AuditEntry:
    """The entry for one write; ``before`` is the document the last entry kept.

    ``document`` is ``value``'s document when the caller has encoded it
    already (the store writing it): it is not encoded twice.
    """
    at = clock()
    if not isinstance(at, datetime) or at.utcoffset() is None:
        raise InvalidArgumentError(
            f"the unit of work's clock must give aware datetimes, got {at!r}"
        )
    if document is None and value is not None:
        document = _documents.encode(value)
    return AuditEntry(
        tenant=tenant,
        kind=kind,
        key=key,
        version=version,
        action=action,
        actor=actor,
        at=at,
        summary=summarize(None if action == "add" else before, document),
        document=document,
        idempotency_key=idempotency_key,
    )


def read_version(
    entries: list[AuditEntry], tenant: str, kind: str, key: str, version: int
) -> Versioned[Any]:
    """The aggregate at ``version`` from the entries of its key."""
    tenant = check_tenant(tenant)
    kind = check_kind(kind)
    key = check_id(f"{kind} id", key)
    for entry in entries:
        if entry.version == version and entry.document is not None:
            return Versioned(key, _documents.decode(AUDITED[kind], entry.document), version)
    raise NotFoundError(f"{kind} {key!r} of tenant {tenant!r} has no version {version!r}")


def check_idempotency_key(key: object) -> str | None:
    """Return ``key`` if it is ``None`` or an id, else raise InvalidArgumentError."""
    return None if key is None else check_id("idempotency_key", key)


def replayed(
    entry: AuditEntry | None, kind: str, key: str, action: AuditAction
) -> Versioned[Any] | None:
    """The first result of a write retried with its idempotency key, or ``None`` if new.

    Raises:
        InvalidArgumentError: The key was used for another write.
    """
    if entry is None:
        return None
    if (entry.kind, entry.key, entry.action) != (kind, key, action) or entry.document is None:
        raise InvalidArgumentError(
            f"idempotency_key {entry.idempotency_key!r} was used for another write: "
            f"{entry.action} of {entry.kind} {entry.key!r} version {entry.version}"
        )
    return Versioned(key, _documents.decode(AUDITED[kind], entry.document), entry.version)
