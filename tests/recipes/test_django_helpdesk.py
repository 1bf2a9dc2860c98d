"""The django-helpdesk recipe against the real help desk: its ORM, on SQLite, evaluated.

Each ticket is written the way django-helpdesk's own views write it (the
opening follow-up a few milliseconds after the ticket, a hold as a public
staff follow-up with an "On Hold" change, a queue move as a "Queue" change,
a merge as moved follow-ups retitled "[Merged from #N]"), then read back
through the recipe and evaluated. Calendar 24x7 (UTC), response 1 h,
resolution 4 h, evaluated at 18:00; the expected figures are worked by hand
in each test.
"""

# Django's models can be imported only once its settings are configured (the
# `desk` fixture does it), so the tests import them where they use them.
# ruff: noqa: PLC0415

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip(
    "helpdesk", reason="the django-helpdesk recipe needs the django extra: pip install '.[django]'"
)

from contractcore.recipes.django_helpdesk import (
    STATUSES,
    HelpdeskTickets,
    classify_author,
    host_ticket,
    sample_site,
    timeline_builder,
)
from contractcore.sla import (
    Mismatch,
    SlaPolicy,
    SlaStatus,
    TimelineBuilder,
    TimelineReport,
    evaluate,
    evaluate_many,
)

DAY = datetime(2026, 5, 4, tzinfo=UTC)
NOW = DAY.replace(hour=18)
POLICY = SlaPolicy(
    name="Standard", response_within=timedelta(hours=1), resolve_within=timedelta(hours=4)
)


def at(hours: int, minutes: int = 0, *, milliseconds: int = 0) -> datetime:
    return DAY.replace(hour=hours, minute=minutes) + timedelta(milliseconds=milliseconds)


class Desk:
    """A help desk's people and queues, and the ORM writes its views make."""

    def __init__(self) -> None:
        from django.contrib.auth.models import User
        from helpdesk.models import Queue

        self.staff = User.objects.create_user("tests-agent", "agent@example.com", is_staff=True)
        self.customer = User.objects.create_user("tests-customer", "customer@example.com")
        self.support = Queue.objects.create(title="Tests support", slug="tests-support")
        self.vendor = Queue.objects.create(title="Tests vendor", slug="tests-vendor")

    def open(self, created: datetime, *, by_staff: bool = True) -> Any:
        """A ticket as the staff form writes it: the ticket, then the opening follow-up."""
        from helpdesk.models import FollowUp, Ticket

        ticket = Ticket.objects.create(
            title=f"Ticket of {created:%H:%M}", queue=self.support, submitter_email="c@example.com"
        )
        Ticket.objects.filter(pk=ticket.pk).update(created=created)  # auto_now_add otherwise
        ticket.refresh_from_db()
        FollowUp.objects.create(
            ticket=ticket,
            date=created + timedelta(milliseconds=3),
            title="Ticket Opened",
            public=True,
            user=self.staff if by_staff else None,
            message_id=None if by_staff else f"<{created:%H%M}@mail.example.com>",
            comment="The printer is on fire",
        )
        return ticket

    def reply(
        self,
        ticket: Any,
        when: datetime,
        *,
        user: Any = None,
        public: bool = True,
        new_status: int | None = None,
        comment: str = "Thanks",
        mail: bool = False,
    ) -> Any:
        """A follow-up as update_ticket writes it (a mail from the submitter has a message id)."""
        from helpdesk.models import FollowUp, TicketChange

        old_status = ticket.get_status_display()
        if new_status is not None:
            ticket.status = new_status
            ticket.save()
        follow_up = FollowUp.objects.create(
            ticket=ticket,
            date=when,
            title="Comment",
            public=public,
            user=user,
            comment=comment or None,
            new_status=new_status,
            message_id=f"<{when:%H%M}@mail.example.com>" if mail else None,
        )
        if new_status is not None:
            TicketChange.objects.create(
                followup=follow_up,
                field="Status",
                old_value=old_status,
                new_value=ticket.get_status_display(),
            )
        return follow_up

    def hold(self, ticket: Any, when: datetime, *, on_hold: bool = True) -> None:
        """What the hold and unhold views write."""
        from helpdesk.models import FollowUp, TicketChange

        ticket.on_hold = on_hold
        ticket.save()
        follow_up = FollowUp.objects.create(
            ticket=ticket,
            date=when,
            title="Ticket placed on hold" if on_hold else "Ticket taken off hold",
            public=True,
            user=self.staff,
        )
        TicketChange.objects.create(
            followup=follow_up, field="On Hold", old_value=str(not on_hold), new_value=str(on_hold)
        )

    def move(self, ticket: Any, when: datetime, queue: Any, *, note: str = "") -> None:
        """A queue change through update_ticket, with an optional private note."""
        from helpdesk.models import TicketChange

        follow_up = self.reply(ticket, when, user=self.staff, public=False, comment=note)
        TicketChange.objects.create(
            followup=follow_up, field="Queue", old_value=ticket.queue_id, new_value=queue.id
        )
        ticket.queue = queue
        ticket.save()

    def merge(self, source: Any, into: Any) -> None:
        """What the merge view does to the ticket merged away."""
        from helpdesk.models import Ticket

        source.merged_to = into
        source.status = Ticket.DUPLICATE_STATUS
        source.save()
        source.followup_set.update(ticket=into, title=f"[Merged from #{source.id}] {source.title}")


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Desk:
    sample_site(Path(tmp_path_factory.mktemp("helpdesk")))
    return Desk()


@pytest.fixture(scope="module")
def tickets(desk: Desk) -> dict[str, Any]:
    """The tickets of the tests, written through the ORM once."""
    from helpdesk.models import Ticket

    staff, made = desk.staff, {}
    # Staff reply, a customer mail and a private note, resolved.
    made["replied"] = ticket = desk.open(at(9))
    desk.reply(ticket, at(9, 10), mail=True, comment="Still burning")
    desk.reply(ticket, at(9, 20), user=staff, public=False, comment="Asked facilities")
    desk.reply(ticket, at(9, 40), user=staff, comment="Extinguished")
    desk.reply(ticket, at(11), user=staff, new_status=Ticket.RESOLVED_STATUS, comment="Replaced")
    # On hold 09:30 to 12:30.
    made["held"] = ticket = desk.open(at(9))
    desk.hold(ticket, at(9, 30))
    desk.hold(ticket, at(12, 30), on_hold=False)
    desk.reply(ticket, at(12, 45), user=staff)
    desk.reply(ticket, at(13), user=staff, new_status=Ticket.RESOLVED_STATUS)
    # In the vendor queue (a pause queue) 09:15 to 13:15, never answered.
    made["vendor"] = ticket = desk.open(at(9))
    desk.move(ticket, at(9, 15), desk.vendor, note="Waiting for the vendor")
    desk.move(ticket, at(13, 15), desk.support)
    # Resolved at 10:00, reopened by the customer's mail at 14:00, resolved again.
    made["reopened"] = ticket = desk.open(at(9))
    desk.reply(ticket, at(9, 30), user=staff)
    desk.reply(ticket, at(10), user=staff, new_status=Ticket.RESOLVED_STATUS)
    desk.reply(ticket, at(14), mail=True, new_status=Ticket.REOPENED_STATUS, comment="Again")
    desk.reply(ticket, at(14, 30), user=staff)
    desk.reply(ticket, at(16, 30), user=staff, new_status=Ticket.RESOLVED_STATUS)
    # A 07:00 ticket, answered 07:30, merged at 10:00 into the customer's 09:00 one.
    made["duplicate"] = source = desk.open(at(7), by_staff=False)
    desk.reply(source, at(7, 30), user=staff, comment="Looking")
    made["merged"] = ticket = desk.open(at(9), by_staff=False)
    desk.merge(source, into=ticket)
    desk.reply(ticket, at(11, 30), user=staff)
    desk.reply(ticket, at(12), user=staff, new_status=Ticket.RESOLVED_STATUS)
    # Closed in the admin at 10:00: no follow-up records it.
    made["closed in admin"] = ticket = desk.open(at(9))
    desk.reply(ticket, at(9, 20), user=staff)
    ticket.status = Ticket.CLOSED_STATUS
    ticket.save()
    # A customer who is a user of the site (not staff) writes on the web.
    made["web customer"] = ticket = desk.open(at(9))
    desk.reply(ticket, at(9, 5), user=desk.customer, comment="Any news?")
    return made


@pytest.fixture(scope="module")
def evaluated(
    desk: Desk, tickets: dict[str, Any]
) -> tuple[dict[int, SlaStatus], dict[int, TimelineReport]]:
    """Every ticket of the tests, through the recipe: the host code of docs/django-helpdesk.md."""
    from helpdesk.models import Ticket

    reports: dict[int, TimelineReport] = {}
    source = HelpdeskTickets(Ticket.objects.filter(pk__in=[t.pk for t in tickets.values()]))
    builder = timeline_builder(pause_queues=[desk.vendor.id])
    fed = builder.feed(source, POLICY, on_report=lambda r: reports.__setitem__(int(r.ticket_id), r))
    statuses = {int(ticket_id): status for ticket_id, status in evaluate_many(fed, NOW)}
    return statuses, reports


def outcome(status: SlaStatus) -> tuple[tuple[str, timedelta], tuple[str, timedelta]]:
    assert status.response is not None
    assert status.resolution is not None
    return (
        (status.response.state, status.response.elapsed),
        (status.resolution.state, status.resolution.elapsed),
    )


Evaluated = tuple[dict[int, SlaStatus], dict[int, TimelineReport]]


def test_a_staff_reply_after_a_customer_mail_and_a_private_note_is_the_response(
    tickets: dict[str, Any], evaluated: Evaluated
) -> None:
    # The opening follow-up (staff, public, 3 ms after the ticket) is the request;
    # the mail at 09:10 and the note at 09:20 do not answer; the 09:40 reply does.
    statuses, reports = evaluated
    ticket = tickets["replied"].pk
    assert outcome(statuses[ticket]) == (
        ("met", timedelta(minutes=40)),
        ("met", timedelta(hours=2)),
    )
    assert [note.action for note in reports[ticket].notes] == ["opening"]
    assert reports[ticket].reconciled


def test_the_opening_follow_up_would_be_a_reply_in_three_milliseconds_without_its_rule(
    tickets: dict[str, Any],
) -> None:
    from helpdesk.models import Ticket

    naive = TimelineBuilder(
        statuses=STATUSES, classify_author=classify_author, opening_tolerance=timedelta(0)
    )
    events = naive.build(host_ticket(Ticket.objects.get(pk=tickets["replied"].pk))).events
    status = evaluate(STATUSES.apply(POLICY), events, now=NOW)
    assert status.response is not None
    assert status.response.elapsed == timedelta(milliseconds=3)


def test_time_on_hold_is_not_counted_and_the_hold_follow_ups_are_no_replies(
    tickets: dict[str, Any], evaluated: Evaluated
) -> None:
    # Response: 09:00-09:30 and 12:30-12:45 = 45 min. Resolution: 30 min + 30 min = 1 h.
    statuses, reports = evaluated
    ticket = tickets["held"].pk
    assert outcome(statuses[ticket]) == (
        ("met", timedelta(minutes=45)),
        ("met", timedelta(hours=1)),
    )
    assert reports[ticket].reconciled


def test_a_ticket_in_the_pause_queue_is_paused_and_breaches_after_it_leaves(
    tickets: dict[str, Any], evaluated: Evaluated
) -> None:
    # Running 09:00-09:15 and from 13:15: 15 min + 4 h 45 = 5 h at 18:00.
    # Response breached at 13:15 + 45 min = 14:00; resolution at 13:15 + 3 h 45 = 17:00.
    statuses, reports = evaluated
    status = statuses[tickets["vendor"].pk]
    assert outcome(status) == (("breached", timedelta(hours=5)), ("breached", timedelta(hours=5)))
    assert status.response is not None
    assert status.resolution is not None
    assert (status.response.breached_at, status.resolution.breached_at) == (at(14), at(17))
    assert reports[tickets["vendor"].pk].reconciled


def test_time_resolved_before_the_reopening_mail_is_not_counted(
    tickets: dict[str, Any], evaluated: Evaluated
) -> None:
    # Resolution: 09:00-10:00 and 14:00-16:30 = 3 h 30, met at the last resolution.
    statuses, _ = evaluated
    status = statuses[tickets["reopened"].pk]
    assert outcome(status) == (
        ("met", timedelta(minutes=30)),
        ("met", timedelta(hours=3, minutes=30)),
    )
    assert status.resolution is not None
    assert status.resolution.completed_at == at(16, 30)


def test_a_merged_tickets_older_follow_ups_do_not_answer_the_ticket_it_was_merged_into(
    tickets: dict[str, Any], evaluated: Evaluated
) -> None:
    # The 07:30 reply answered the 07:00 ticket. Created 09:00, first reply 11:30:
    # 2 h 30, breached at 10:00; resolved at 12:00 after 3 h, met.
    statuses, reports = evaluated
    ticket, duplicate = tickets["merged"].pk, tickets["duplicate"].pk
    status = statuses[ticket]
    assert outcome(status) == (
        ("breached", timedelta(hours=2, minutes=30)),
        ("met", timedelta(hours=3)),
    )
    assert status.response is not None
    assert status.response.breached_at == at(10)
    dropped = reports[ticket].dropped
    assert [record.at for record in dropped] == [at(7, milliseconds=3), at(7, 30)]
    assert all(record.merged_from == duplicate for record in dropped)
    # The ticket merged away is a Duplicate: not measured, and said so.
    assert duplicate not in statuses
    assert reports[duplicate].skipped == "ends in status 'Duplicate', which the status map ignores"


def test_a_status_changed_without_a_follow_up_is_reported_as_a_mismatch(
    tickets: dict[str, Any], evaluated: Evaluated
) -> None:
    statuses, reports = evaluated
    ticket = tickets["closed in admin"].pk
    assert reports[ticket].mismatches == (Mismatch("status", "Open", "Closed"),)
    # The timeline says what the follow-ups say: still open at 18:00, 9 h, breached.
    assert outcome(statuses[ticket])[1] == ("breached", timedelta(hours=9))


def test_a_site_user_who_is_not_staff_writes_as_the_customer(
    tickets: dict[str, Any], evaluated: Evaluated
) -> None:
    statuses, _ = evaluated
    status = statuses[tickets["web customer"].pk]
    assert status.response is not None
    assert (status.response.state, status.response.completed_at) == ("breached", None)


def test_the_source_reads_tickets_one_at_a_time(tickets: dict[str, Any]) -> None:
    from helpdesk.models import Ticket

    source = HelpdeskTickets(Ticket.objects.filter(pk__in=[t.pk for t in tickets.values()]))
    stream: Iterator[Any] = source.tickets()
    first = next(stream)
    assert first.id == min(t.pk for t in tickets.values())
    assert len(list(stream)) == len(tickets) - 1
