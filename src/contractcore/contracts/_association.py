"""Tickets and contracts: the contract a new ticket falls under, and mismatch warnings."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date

import attrs

from contractcore.contracts import _validators as v
from contractcore.contracts._dates import as_calendar_date
from contractcore.contracts._lifecycle import is_in_force
from contractcore.contracts._model import Contract

__all__ = [
    "AssociationWarning",
    "LinkedRecord",
    "TicketLinks",
    "WarningCode",
    "association_warnings",
    "contract_for_new_ticket",
    "sla_policy_for_new_ticket",
]


def contract_for_new_ticket(
    contracts: Iterable[Contract], customer_id: str, at: date
) -> Contract | None:
    """Pick the contract a new ticket of ``customer_id`` falls under on ``at``.

    Candidates are the customer's contracts marked ``apply_to_new_tickets``
    that are in force on that day (:func:`is_in_force`). When several are,
    the one that started last wins, then the smallest contract number, so
    the choice never depends on input order. ``at`` is a date, or an aware
    datetime whose own local date is used.

    Raises:
        NaiveDatetimeError: ``at`` is a naive datetime.

    >>> from contractcore.contracts import Contract
    >>> c = Contract(id="c", number="N-1", customer_id="7", name="Managed IT",
    ...              status="active", start_date=date(2026, 1, 1), term_months=12,
    ...              sla_policy_id="gold", apply_to_new_tickets=True)
    >>> contract_for_new_ticket([c], "7", date(2026, 5, 4)).number
    'N-1'
    >>> contract_for_new_ticket([c], "7", date(2027, 1, 1)) is None
    True
    """
    day = as_calendar_date(at, "at")
    candidates = [
        c
        for c in contracts
        if c.customer_id == customer_id and c.apply_to_new_tickets and is_in_force(c, day)
    ]
    if not candidates:
        return None
    latest = max(c.start_date for c in candidates)
    return min((c for c in candidates if c.start_date == latest), key=lambda c: c.number)


def sla_policy_for_new_ticket(
    contracts: Iterable[Contract], customer_id: str, at: date, override: str | None = None
) -> str | None:
    """Return the SLA policy id a new ticket starts with.

    ``override`` (chosen by the agent) wins; otherwise the policy of the
    contract from :func:`contract_for_new_ticket`; otherwise None (an SLA
    only attaches to a ticket through a contract or by hand).

    >>> from contractcore.contracts import Contract
    >>> c = Contract(id="c", number="N-1", customer_id="7", name="Managed IT",
    ...              status="active", start_date=date(2026, 1, 1), term_months=12,
    ...              sla_policy_id="gold", apply_to_new_tickets=True)
    >>> sla_policy_for_new_ticket([c], "7", date(2026, 5, 4))
    'gold'
    >>> sla_policy_for_new_ticket([c], "7", date(2026, 5, 4), override="platinum")
    'platinum'
    """
    if override is not None:
        return override
    contract = contract_for_new_ticket(contracts, customer_id, at)
    return None if contract is None else contract.sla_policy_id


@attrs.frozen(kw_only=True)
class LinkedRecord:
    """A service, order or quote a ticket is linked to, as far as the check needs it.

    Attributes:
        id: The host's id of the record.
        customer_id: The customer it belongs to, if known.
        contract_id: The contract it belongs to, or None.
    """

    id: str = attrs.field(validator=v.text)
    customer_id: str | None = attrs.field(default=None, validator=v.optional_text)
    contract_id: str | None = attrs.field(default=None, validator=v.optional_text)


@attrs.frozen(kw_only=True)
class TicketLinks:
    """Everything a ticket is associated with.

    Attributes:
        customer_id: The ticket's customer, if known.
        contract: The contract the ticket is under, or None.
        service: The linked service, or None.
        order: The linked order, or None.
        quote: The linked quote, or None.
    """

    customer_id: str | None = attrs.field(default=None, validator=v.optional_text)
    contract: Contract | None = attrs.field(
        default=None, validator=v.instance(Contract, optional=True)
    )
    service: LinkedRecord | None = attrs.field(
        default=None, validator=v.instance(LinkedRecord, optional=True)
    )
    order: LinkedRecord | None = attrs.field(
        default=None, validator=v.instance(LinkedRecord, optional=True)
    )
    quote: LinkedRecord | None = attrs.field(
        default=None, validator=v.instance(LinkedRecord, optional=True)
    )


class WarningCode(enum.StrEnum):
    """Why a ticket's associations do not belong together."""

    CONTRACT_CUSTOMER_MISMATCH = "contract_customer_mismatch"
    SERVICE_NOT_ON_CONTRACT = "service_not_on_contract"
    ORDER_NOT_FOR_CONTRACT = "order_not_for_contract"
    QUOTE_NOT_FOR_CONTRACT = "quote_not_for_contract"
    SERVICE_CUSTOMER_MISMATCH = "service_customer_mismatch"
    ORDER_CUSTOMER_MISMATCH = "order_customer_mismatch"
    QUOTE_CUSTOMER_MISMATCH = "quote_customer_mismatch"


@attrs.frozen(kw_only=True)
class AssociationWarning:
    """A mismatch between a ticket's associations; the association still stands."""

    code: WarningCode
    message: str


_NOT_FOR_CONTRACT = {
    "service": WarningCode.SERVICE_NOT_ON_CONTRACT,
    "order": WarningCode.ORDER_NOT_FOR_CONTRACT,
    "quote": WarningCode.QUOTE_NOT_FOR_CONTRACT,
}
_CUSTOMER_MISMATCH = {
    "service": WarningCode.SERVICE_CUSTOMER_MISMATCH,
    "order": WarningCode.ORDER_CUSTOMER_MISMATCH,
    "quote": WarningCode.QUOTE_CUSTOMER_MISMATCH,
}


def association_warnings(links: TicketLinks) -> tuple[AssociationWarning, ...]:
    """Check that a ticket's contract, service, order and quote belong together.

    Associations are never refused: this returns warnings for the host to
    show. The contract is checked against the ticket's customer and against
    each linked record (a service belongs to the contract when its
    ``contract_id`` is the contract's id or the contract lists it among its
    services; an order or quote when its ``contract_id`` is the contract's
    id). Each record is also checked against the ticket's customer.

    >>> from contractcore.contracts import Contract
    >>> c = Contract(id="c-1", number="N-1", customer_id="7", name="Managed IT",
    ...              start_date=date(2026, 1, 1), term_months=12)
    >>> links = TicketLinks(customer_id="7", contract=c,
    ...                     order=LinkedRecord(id="o-9", customer_id="7", contract_id="c-2"))
    >>> [w.code.value for w in association_warnings(links)]
    ['order_not_for_contract']
    """
    warnings: list[AssociationWarning] = []
    contract = links.contract
    if (
        contract is not None
        and links.customer_id is not None
        and contract.customer_id != links.customer_id
    ):
        warnings.append(
            AssociationWarning(
                code=WarningCode.CONTRACT_CUSTOMER_MISMATCH,
                message=f"contract {contract.number} belongs to customer "
                f"{contract.customer_id}, not to the ticket's customer {links.customer_id}",
            )
        )
    for kind, record in (
        ("service", links.service),
        ("order", links.order),
        ("quote", links.quote),
    ):
        if record is None:
            continue
        if contract is not None and not _belongs(kind, record, contract):
            warnings.append(
                AssociationWarning(
                    code=_NOT_FOR_CONTRACT[kind],
                    message=f"{kind} {record.id} is not part of contract {contract.number}",
                )
            )
        if (
            links.customer_id is not None
            and record.customer_id is not None
            and record.customer_id != links.customer_id
        ):
            warnings.append(
                AssociationWarning(
                    code=_CUSTOMER_MISMATCH[kind],
                    message=f"{kind} {record.id} belongs to customer {record.customer_id}, "
                    f"not to the ticket's customer {links.customer_id}",
                )
            )
    return tuple(warnings)


def _belongs(kind: str, record: LinkedRecord, contract: Contract) -> bool:
    if record.contract_id == contract.id:
        return True
    return (
        kind == "service"
        and record.contract_id is None
        and any(s.id == record.id for s in contract.services)
    )
