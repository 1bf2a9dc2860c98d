"""The audit trail's rules, shared by every backend: what an entry holds, how it is read back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from contractcore.errors import InvalidArgumentError, NotFoundError
from contractcore.repository import _documents
from contractcore.repository._common import AUDITED, check_id, check_tenant, summarize
from contractcore.repository._model import AuditAction, AuditEntry, Versioned

__all__ = ["Clock", "check_kind", "new_entry", "read_version"]

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
) -> AuditEntry:
    """The entry for one write; ``before`` is the document the last entry kept."""
    at = clock()
    if not isinstance(at, datetime) or at.utcoffset() is None:
        raise InvalidArgumentError(
            f"the unit of work's clock must give aware datetimes, got {at!r}"
        )
    document = None if value is None else _documents.encode(value)
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
