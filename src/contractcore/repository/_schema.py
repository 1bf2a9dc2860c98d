"""The SQL schema: aggregates as versioned JSON documents, query fields as indexed columns."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

__all__ = [
    "SCHEMA_VERSION",
    "acknowledged_actions",
    "audit",
    "contracts",
    "documents",
    "invoice_lines",
    "metadata",
    "removed",
    "schema_info",
    "sequences",
    "wake_ups",
]

SCHEMA_VERSION = 3
"""The version of the tables below; :func:`create_schema` records it."""

metadata = sa.MetaData()

# JSON on SQLite (text), JSONB on PostgreSQL (so hosts can query documents ad hoc).
_DOCUMENT = sa.JSON().with_variant(JSONB(), "postgresql")

schema_info = sa.Table(
    "contractcore_schema",
    metadata,
    sa.Column("name", sa.String(), primary_key=True),
    sa.Column("version", sa.Integer(), nullable=False),
)

contracts = sa.Table(
    "contractcore_contracts",
    metadata,
    sa.Column("tenant", sa.String(), primary_key=True),
    sa.Column("id", sa.String(), primary_key=True),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("number", sa.String(), nullable=False),
    sa.Column("customer_id", sa.String(), nullable=False),
    sa.Column("status", sa.String(), nullable=False),
    sa.Column("term_months", sa.Integer(), nullable=True),
    sa.Column("start_date", sa.Date(), nullable=False),
    sa.Column("end_date", sa.Date(), nullable=True),
    sa.Column("created_on", sa.Date(), nullable=True),
    sa.Column("document", _DOCUMENT, nullable=False),
    sa.Index("contractcore_contracts_number", "tenant", "number"),
    sa.Index("contractcore_contracts_customer", "tenant", "customer_id"),
    sa.Index("contractcore_contracts_start", "tenant", "start_date"),
    sa.Index("contractcore_contracts_end", "tenant", "end_date"),
    sa.Index("contractcore_contracts_status", "tenant", "status"),
)

# SLA policies, templates, tickets and numbering settings: no query fields beyond the key.
documents = sa.Table(
    "contractcore_documents",
    metadata,
    sa.Column("tenant", sa.String(), primary_key=True),
    sa.Column("kind", sa.String(), primary_key=True),
    sa.Column("key", sa.String(), primary_key=True),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("document", _DOCUMENT, nullable=False),
)

# The primary key is what makes an invoice run exactly-once.
invoice_lines = sa.Table(
    "contractcore_invoice_lines",
    metadata,
    sa.Column("tenant", sa.String(), primary_key=True),
    sa.Column("contract_id", sa.String(), primary_key=True),
    sa.Column("service_id", sa.String(), primary_key=True),
    sa.Column("period_first", sa.Date(), primary_key=True),
    sa.Column("period_last", sa.Date(), primary_key=True),
    sa.Column("document", _DOCUMENT, nullable=False),
    sa.Index("contractcore_invoice_lines_period", "tenant", "period_first", "period_last"),
)


# The last version of each removed aggregate (added in schema version 2): adding
# the key again goes on from it, so a copy read before the removal stays stale.
removed = sa.Table(
    "contractcore_removed",
    metadata,
    sa.Column("tenant", sa.String(), primary_key=True),
    sa.Column("scope", sa.String(), primary_key=True),
    sa.Column("key", sa.String(), primary_key=True),
    sa.Column("version", sa.Integer(), nullable=False),
)


# Each tenant's contract number counter (added in schema version 3), apart from
# its numbering settings (a "numbering" document): allocating changes only this
# row, so it never conflicts with a settings save, and a save only ever raises it.
sequences = sa.Table(
    "contractcore_sequences",
    metadata,
    sa.Column("tenant", sa.String(), primary_key=True),
    sa.Column("next_sequence", sa.BigInteger(), nullable=False),
    sa.Column("last_issued", sa.BigInteger(), nullable=True),
)


# The audit trail (DESIGN 6.1; schema version 3): one row per write, appended
# in the write's transaction; ``document`` is the aggregate at that version.
audit = sa.Table(
    "contractcore_audit",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("tenant", sa.String(), nullable=False),
    sa.Column("kind", sa.String(), nullable=False),
    sa.Column("key", sa.String(), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("action", sa.String(), nullable=False),
    sa.Column("actor", sa.String(), nullable=True),
    sa.Column("at", sa.String(), nullable=False),
    sa.Column("summary", sa.String(), nullable=False),
    sa.Column("document", _DOCUMENT, nullable=True),
    sa.Column("idempotency_key", sa.String(), nullable=True),
    sa.Index("contractcore_audit_by_key", "tenant", "kind", "key", "version"),
    # A key is used for one write only: a retry finds the first result here.
    sa.Index(
        "contractcore_audit_by_idempotency_key",
        "tenant",
        "idempotency_key",
        unique=True,
        sqlite_where=sa.text("idempotency_key IS NOT NULL"),
        postgresql_where=sa.text("idempotency_key IS NOT NULL"),
    ),
)


# Wake-ups (DESIGN 6.1; schema version 3): the instants each stored ticket's SLA
# state changes by itself, kept on every add and save of the ticket.
wake_ups = sa.Table(
    "contractcore_wake_ups",
    metadata,
    sa.Column("tenant", sa.String(), primary_key=True),
    sa.Column("ticket_id", sa.String(), primary_key=True),
    sa.Column("at", sa.String(), primary_key=True),  # UTC, ISO 8601 to the microsecond
    sa.Index("contractcore_wake_ups_by_instant", "tenant", "at"),
)


# The actions outbox (DESIGN 6.1; schema version 3): the ids of the actions a
# host acknowledged. What is due is computed from the tickets; a pending action
# is a due one without a row here. (Added while version 3 is unreleased:
# create_schema's create_all adds it to a database already at version 3.)
acknowledged_actions = sa.Table(
    "contractcore_actions",
    metadata,
    sa.Column("tenant", sa.String(), primary_key=True),
    sa.Column("id", sa.String(), primary_key=True),
    sa.Column("acknowledged_at", sa.String(), nullable=False),  # UTC, ISO 8601
    sa.Column("actor", sa.String(), nullable=True),
)
