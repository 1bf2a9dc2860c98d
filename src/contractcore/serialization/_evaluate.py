"""``contractcore sla evaluate FILE``: one ticket's SLA status from a JSON document (private)."""

from __future__ import annotations

from typing import Any

from contractcore.errors import ContractCoreError, NaiveDatetimeInDocumentError, SerializationError
from contractcore.serialization._documents import check_envelope, read_data, to_document
from contractcore.serialization._errors import DocumentValueError, NaiveValueError
from contractcore.serialization._json import check_json
from contractcore.serialization._scalars import read_datetime
from contractcore.sla import SlaPolicy, TicketEvent, evaluate

__all__ = ["evaluate_document"]

_FIELDS = ("schema", "policy", "events", "now")


def evaluate_document(document: Any) -> dict[str, Any]:
    """Evaluate the SLA of one ticket described by a document; return the status as a document.

    The input is ``{"schema": "contractcore/1", "policy": {...}, "events":
    [...], "now": "..."}``: the policy's data as :func:`to_data` writes an
    ``SlaPolicy``, the ticket's events (each with its ``"type"`` tag), and the
    instant to evaluate at (ISO 8601 with an offset). The output is
    ``to_document(evaluate(policy, events, now))``: an ``SlaStatus`` document
    whose data also lists the ``actions``.

    Raises:
        SerializationError: The document is not valid, or the timeline is not
            (out of order, not starting with ``ticket_created``); the message
            names the field path.

    >>> result = evaluate_document({
    ...     "schema": "contractcore/1",
    ...     "policy": {"name": "Basic", "response_within": "PT1H"},
    ...     "events": [{"type": "ticket_created", "at": "2026-05-04T10:00:00+00:00"}],
    ...     "now": "2026-05-04T12:00:00+00:00",
    ... })
    >>> result["data"]["response"]["state"], result["data"]["response"]["breached_at"]
    ('breached', '2026-05-04T11:00:00+00:00')
    """
    check_envelope(document, _FIELDS)
    for field in _FIELDS[1:]:
        if field not in document:
            msg = f"{field}: required field is missing"
            raise SerializationError(msg)
    policy = read_data(SlaPolicy, document["policy"], "policy", ("policy",))
    events = read_data(tuple[TicketEvent, ...], document["events"], "events", ("events",))
    check_json(document["now"], ("now",))
    try:
        now = read_datetime(document["now"])
    except NaiveValueError as exc:
        raise NaiveDatetimeInDocumentError(f"now: {exc.message}") from None
    except DocumentValueError as exc:
        raise SerializationError(f"now: {exc.message}") from None
    try:
        status = evaluate(policy, events, now)
    except ContractCoreError as exc:
        msg = f"events: {exc}"
        raise SerializationError(msg) from exc
    except (OverflowError, ValueError) as exc:  # past year 9999 or before year 1 in UTC
        msg = f"events: an instant or a deadline falls outside the years 1 to 9999 ({exc})"
        raise SerializationError(msg) from None
    return to_document(status)
