"""The django-helpdesk recipe: its tickets and follow-ups as SLA timelines.

`django-helpdesk <https://github.com/django-helpdesk/django-helpdesk>`_ (2.6)
keeps a ``Ticket`` (``status`` 1-5, ``on_hold``, ``queue``, ``created``,
``merged_to``) and its ``FollowUp`` rows (``date``, ``public``, ``user``,
``new_status``, ``title``), each with ``TicketChange`` rows for the fields it
changed. This module is the adapter, in about twenty lines of host code:

* :data:`STATUSES`: Open and Reopened are open, Resolved and Closed resolve,
  Duplicate (a merged-away ticket) is not measured;
* :func:`classify_author`: the submitter (a mail or a non-staff user) is the
  customer, a staff user an agent, no user at all the help desk itself;
* :func:`host_ticket`: one ``Ticket`` with its follow-ups as a
  :class:`~contractcore.sla.HostTicket` (a hold, a queue move and a merge
  are read from the follow-ups' changes and titles);
* :class:`HelpdeskTickets`: a :class:`~contractcore.sla.TicketSource` over a
  queryset, read in chunks;
* :func:`timeline_builder`: the :class:`~contractcore.sla.TimelineBuilder`
  with those, and the queues whose tickets are paused.

Needs ``pip install 'contractcore[django]'``; importing it without Django
raises an ``ImportError`` saying so. The functions need Django's settings
configured (your site's, or :func:`sample_site` for a throwaway one).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from typing import Any

try:
    import django
    import helpdesk  # noqa: F401 - present, or the extra is missing
except ImportError as exc:  # pragma: no cover - exercised where Django is absent
    msg = (
        "contractcore.recipes.django_helpdesk needs Django and django-helpdesk: "
        "pip install 'contractcore[django]'"
    )
    raise ImportError(msg) from exc

from contractcore.sla import HostRecord, HostTicket, PauseRules, StatusMap, TimelineBuilder

__all__ = [
    "STATUSES",
    "HelpdeskTickets",
    "classify_author",
    "host_record",
    "host_ticket",
    "sample_site",
    "timeline_builder",
]

#: django-helpdesk's default statuses (``helpdesk.settings``), by code.
STATUSES = StatusMap(
    {1: "open", 2: "open", 3: "resolved", 4: "resolved", 5: "ignored"},
    names={1: "Open", 2: "Reopened", 3: "Resolved", 4: "Closed", 5: "Duplicate"},
)

#: The title django-helpdesk gives a follow-up it moved from a merged ticket.
_MERGED = re.compile(r"\[Merged from #(\d+)\]")


def classify_author(record: HostRecord) -> str:
    """Who wrote a follow-up: the submitter, a staff user, or the help desk itself."""
    follow_up = record.author
    if follow_up.is_from_submitter:  # a mail (message id) or a non-staff user
        return "customer"
    return "agent" if follow_up.user_id is not None else "automation"


def host_record(follow_up: Any) -> HostRecord:
    """One ``FollowUp`` (with its ``TicketChange`` rows) as a host record."""
    changes = {str(change.field): change.new_value for change in follow_up.ticketchange_set.all()}
    merged = _MERGED.match(follow_up.title or "")
    return HostRecord(
        at=follow_up.date,
        sequence=follow_up.id,
        key=follow_up.id,
        comment=("public" if follow_up.public else "private") if follow_up.comment else None,
        author=follow_up,
        status=follow_up.new_status,
        hold=changes["On Hold"] == "True" if "On Hold" in changes else None,
        queue=int(changes["Queue"]) if "Queue" in changes else None,
        merged_from=int(merged[1]) if merged else None,
    )


def host_ticket(ticket: Any) -> HostTicket:
    """One ``Ticket`` with its follow-ups, and its state now for the reconciliation."""
    follow_ups = list(ticket.followup_set.all())  # by date: FollowUp.Meta.ordering
    own = [follow_up for follow_up in follow_ups if not _MERGED.match(follow_up.title or "")]
    # The queue and the hold flag at creation: before their first change, else as now.
    queue, hold = (_value_before(own, field) for field in ("Queue", "On Hold"))
    return HostTicket(
        id=ticket.id,
        created_at=ticket.created,
        opened_status=ticket.OPEN_STATUS,
        opened_hold=ticket.on_hold if hold is None else hold == "True",
        opened_queue=ticket.queue_id if queue is None else int(queue),
        records=[host_record(follow_up) for follow_up in follow_ups],
        final_status=ticket.status,
        final_hold=ticket.on_hold,
        final_queue=ticket.queue_id,
    )


def _value_before(follow_ups: list[Any], field: str) -> str | None:
    """The old value of the first change of ``field`` among ``follow_ups``, if one changed it."""
    for follow_up in follow_ups:
        for change in follow_up.ticketchange_set.all():
            if str(change.field) == field:
                return str(change.old_value)
    return None


class HelpdeskTickets:
    """The tickets of a queryset (all by default), as a :class:`~contractcore.sla.TicketSource`.

    Tickets are read in chunks with their follow-ups and changes, so memory
    stays flat however many there are.
    """

    def __init__(self, queryset: Any = None, *, chunk_size: int = 500) -> None:
        self.queryset = queryset
        self.chunk_size = chunk_size

    def tickets(self) -> Iterator[HostTicket]:
        """Yield each ticket as a :class:`~contractcore.sla.HostTicket`."""
        from helpdesk.models import Ticket  # noqa: PLC0415 - needs Django's apps ready

        queryset = Ticket.objects.all() if self.queryset is None else self.queryset
        rows = queryset.order_by("id").prefetch_related(
            "followup_set__ticketchange_set", "followup_set__user"
        )
        for ticket in rows.iterator(chunk_size=self.chunk_size):
            yield host_ticket(ticket)


def timeline_builder(*, pause_queues: Iterable[int] = ()) -> TimelineBuilder:
    """The builder for django-helpdesk: its statuses, authors, hold flag and pause queues (ids)."""
    return TimelineBuilder(
        statuses=STATUSES,
        classify_author=classify_author,
        pauses=PauseRules(queues=frozenset(pause_queues)),
    )


def sample_site(directory: str | os.PathLike[str]) -> bool:
    """Configure a throwaway django-helpdesk site on SQLite in ``directory``, and migrate it.

    For trying the recipe, for its tests and for its docs page. Does nothing
    and returns False if Django's settings are already configured (a real
    site, or an earlier call), else returns True once the database is ready.
    """
    from django.conf import settings  # noqa: PLC0415 - configured here, not at import
    from django.core.management import call_command  # noqa: PLC0415

    if settings.configured:
        return False
    settings.configure(
        SECRET_KEY="contractcore-recipe-sample-site",  # a throwaway site
        USE_TZ=True,
        TIME_ZONE="UTC",
        DATABASES={
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": os.fspath(os.path.join(directory, "helpdesk.sqlite3")),
            }
        },
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.humanize",
            "django.contrib.messages",
            "django.contrib.sessions",
            "django.contrib.sites",
            "helpdesk",
        ],
        SITE_ID=1,
        HELPDESK_TEAMS_MODE_ENABLED=False,  # no pinax-teams
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    )
    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    return True
