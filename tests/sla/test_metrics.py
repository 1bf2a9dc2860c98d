"""Examples of next reply, periodic update and time in status (DESIGN 3.7)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from contractcore.errors import InvalidPolicyError
from contractcore.serialization import dumps, loads
from contractcore.sla import (
    CommentAdded,
    Notify,
    SlaPaused,
    SlaPolicy,
    SlaResumed,
    SlaStatus,
    StatusChanged,
    TicketCreated,
    TicketEvent,
    compliance_report,
    evaluate,
    evaluate_many,
    explain,
    triage,
)

OPENED = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def _at(minutes: int) -> datetime:
    return OPENED + minutes * MINUTE


def _agent(minutes: int) -> CommentAdded:
    return CommentAdded(_at(minutes), public=True, author="agent")


def _customer(minutes: int) -> CommentAdded:
    return CommentAdded(_at(minutes), public=True, author="customer")


POLICY = SlaPolicy(
    name="Metrics",
    response_within=timedelta(hours=1),
    next_reply_within=timedelta(minutes=30),
    update_every=timedelta(hours=2),
    pause_statuses={"Waiting on Customer"},
    requester_wait_statuses={"Waiting on Customer"},
    agent_work_statuses={"Open", "In Progress"},
    agent_work_within=timedelta(hours=3),
)
EVENTS: list[TicketEvent] = [
    TicketCreated(OPENED),
    _agent(20),  # the first reply: response met, update interval 1 met
    _customer(40),  # next-reply cycle 1 opens
    _agent(80),  # ... and is answered 40 minutes later: breached
    StatusChanged(_at(90), "Waiting on Customer"),
    _customer(100),  # cycle 2 opens while paused
    StatusChanged(_at(130), "In Progress"),
]


def test_each_customer_comment_after_the_first_reply_opens_a_cycle_the_next_reply_closes() -> None:
    status = evaluate(POLICY, EVENTS, _at(150))

    first, second = status.next_reply_cycles
    assert (first.state, first.elapsed, first.completed_at) == ("breached", 40 * MINUTE, _at(80))
    assert first.breached_at == _at(70)
    # Opened at 100 while waiting on the customer: the clock starts at 130.
    assert (second.state, second.elapsed, second.due_at) == ("running", 20 * MINUTE, _at(160))
    assert status.next_reply == second
    assert status.cycles["next_reply"] == (first, second)


def test_a_customer_comment_before_the_first_reply_owes_no_next_reply() -> None:
    events = [TicketCreated(OPENED), _customer(5), _agent(10)]

    assert evaluate(POLICY, events, _at(60)).next_reply_cycles == ()
    assert evaluate(POLICY, events, _at(60)).next_reply is None


def test_a_resolution_closes_the_open_reply_cycle_met_unless_already_breached() -> None:
    events = [*EVENTS, StatusChanged(_at(140), "Resolved")]

    status = evaluate(POLICY, events, _at(200))

    assert status.next_reply is not None
    assert (status.next_reply.state, status.next_reply.completed_at) == ("met", _at(140))


def test_every_public_agent_comment_begins_a_new_update_interval() -> None:
    status = evaluate(POLICY, EVENTS, _at(150))

    first, second, third = status.update_cycles
    assert (first.state, first.elapsed) == ("met", 20 * MINUTE)
    assert (second.state, second.elapsed) == ("met", 60 * MINUTE)
    # From 80: 10 minutes, paused 90-130, then 20 more.
    assert (third.state, third.elapsed, third.due_at) == ("running", 30 * MINUTE, _at(240))


def test_an_update_interval_ended_by_resolution_resumes_on_reopening() -> None:
    events = [
        TicketCreated(OPENED),
        StatusChanged(_at(60), "Resolved"),
        StatusChanged(_at(90), "Open"),
    ]

    resolved = evaluate(POLICY, events[:2], _at(80))
    reopened = evaluate(POLICY, events, _at(120))

    assert resolved.update is not None
    assert resolved.update.state == "met"
    assert reopened.update is not None
    assert (reopened.update.elapsed, reopened.update.due_at) == (90 * MINUTE, _at(150))


def test_time_in_status_counts_every_status_and_the_two_groups() -> None:
    status = evaluate(POLICY, [*EVENTS, SlaPaused(_at(140)), SlaResumed(_at(145))], _at(150))

    assert status.time_in_status == {
        "Open": 90 * MINUTE,
        "Waiting on Customer": 40 * MINUTE,
        "In Progress": 20 * MINUTE,
    }
    assert status.requester_wait == 40 * MINUTE
    assert status.agent_work == 110 * MINUTE  # pauses do not stop time in status
    target = status.agent_work_target
    assert target is not None
    assert (target.elapsed, target.state) == (105 * MINUTE, "running")  # the manual pause does


def test_a_policy_without_the_metrics_has_none_of_them() -> None:
    policy = SlaPolicy(name="Plain", response_within=timedelta(hours=1))

    status = evaluate(policy, EVENTS, _at(150))

    assert (status.next_reply, status.update, status.agent_work_target) == (None, None, None)
    assert (status.status_times, status.requester_wait) == ((), None)
    assert set(status.cycles) == {"response"}


def test_each_cycle_has_its_own_breach_notice_and_next_change_at_sees_the_open_one() -> None:
    status = evaluate(POLICY, EVENTS, _at(150))

    breaches = [a for a in status.actions if isinstance(a, Notify) and a.target == "next_reply"]
    assert [action.at for action in breaches] == [_at(70), _at(160)]
    assert status.next_change_at == _at(160) + timedelta(microseconds=1)
    # The colour reads the shown cycles: the breached first reply cycle is past.
    assert status.color is None


def test_triage_puts_a_ticket_with_an_overdue_reply_first() -> None:
    quiet: list[TicketEvent] = [TicketCreated(_at(100))]
    owed: list[TicketEvent] = [TicketCreated(OPENED), _agent(5), _customer(10)]
    tickets = [("quiet", POLICY, quiet), ("owed", POLICY, owed)]

    order = [ticket for ticket, _ in triage(evaluate_many(tickets, _at(120)))]

    assert order == ["owed", "quiet"]


def test_the_compliance_report_counts_cycles_one_by_one() -> None:
    report = compliance_report([("acme", evaluate(POLICY, EVENTS, _at(150)))])

    group = report.group("acme")
    assert group.next_reply is not None
    assert group.update is not None
    assert (group.next_reply.met, group.next_reply.breached, group.next_reply.in_progress) == (
        0,
        1,
        1,
    )
    assert (group.update.met, group.update.in_progress) == (2, 1)
    assert (group.requester_wait, group.agent_work_time) == (40 * MINUTE, 110 * MINUTE)


def test_the_new_fields_go_to_plain_data_and_back_and_old_data_reads_as_before() -> None:
    data = POLICY.to_dict()

    assert data["next_reply_within"] == "0:30"
    assert data["agent_work_statuses"] == ["In Progress", "Open"]
    assert SlaPolicy.from_dict(data) == POLICY
    plain = SlaPolicy(name="Plain", response_within=timedelta(hours=1))
    assert "next_reply_within" not in plain.to_dict()
    assert SlaPolicy.from_dict(plain.to_dict()) == plain


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"agent_work_within": timedelta(hours=1)},
            "agent_work_within .* needs agent_work_statuses",
        ),
        (
            {"agent_work_statuses": {"Open"}, "requester_wait_statuses": {"Open"}},
            "both requester wait and agent work: Open",
        ),
        ({"agent_work_statuses": {"Resolved"}}, "resolve a ticket and count as agent work"),
        (
            {"next_reply_within": timedelta(minutes=5), "warn_before": timedelta(minutes=10)},
            r"longer than next_reply_within",
        ),
    ],
)
def test_bad_metric_fields_are_refused_naming_them(fields: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidPolicyError, match=message):
        SlaPolicy(name="Bad", **fields)  # type: ignore[arg-type]


def test_the_explanation_text_numbers_every_cycle_and_ends_with_the_time_in_status() -> None:
    text = explain(POLICY, EVENTS, _at(150)).to_text()

    heads = [line.split(":")[0] for line in text.splitlines() if not line.startswith(" ")]
    assert heads == [
        "response",
        "next_reply #1",
        "next_reply #2",
        "update #1",
        "update #2",
        "update #3",
        "time in status (business, real)",
        "requester wait",
        "agent work",
        "agent_work",
    ]
    assert "next_reply #1: breached, elapsed 0:40 of 0:30" in text
    assert "  Waiting on Customer        0:40    0:40" in text
    assert text.endswith("agent_work: running, elapsed 1:50 of 3:00")


def test_the_explanation_text_of_a_policy_without_metrics_is_unchanged() -> None:
    plain = SlaPolicy(name="Plain", response_within=timedelta(hours=1))

    assert explain(plain, EVENTS, _at(150)).to_text().splitlines()[0].startswith("response: met")
    assert "time in status" not in explain(plain, EVENTS, _at(150)).to_text()


def test_the_compliance_report_sums_the_time_in_each_status_over_its_tickets() -> None:
    later: list[TicketEvent] = [TicketCreated(_at(100)), StatusChanged(_at(110), "In Progress")]
    plain = SlaPolicy(name="Plain", response_within=timedelta(hours=1))
    rows = [
        ("acme", evaluate(POLICY, EVENTS, _at(150))),
        ("acme", evaluate(POLICY, later, _at(150))),
        ("acme", evaluate(plain, later, _at(150))),  # measures nothing: adds nothing
    ]

    group = compliance_report(rows).group("acme")

    assert [(item.status, item.business, item.real) for item in group.status_times] == [
        ("Open", 100 * MINUTE, 100 * MINUTE),
        ("Waiting on Customer", 40 * MINUTE, 40 * MINUTE),
        ("In Progress", 60 * MINUTE, 60 * MINUTE),
    ]
    assert group.agent_work_time == 160 * MINUTE
    assert compliance_report(rows).total.status_times == group.status_times


_METRIC_POLICY_KEYS = (
    "next_reply_within",
    "update_every",
    "requester_wait_statuses",
    "agent_work_statuses",
    "agent_work_within",
    "measure_time_in_status",
)
_METRIC_STATUS_KEYS = (
    "next_reply",
    "update",
    "next_reply_cycles",
    "update_cycles",
    "status_times",
    "requester_wait",
    "agent_work",
    "agent_work_target",
)


def test_json_documents_round_trip_the_metrics_and_older_documents_read_as_before() -> None:
    status = evaluate(POLICY, EVENTS, _at(150))
    assert loads(SlaPolicy, dumps(POLICY)) == POLICY
    back = loads(SlaStatus, dumps(status))
    assert back == status
    assert back.next_reply_cycles == status.next_reply_cycles
    assert back.status_times == status.status_times

    plain = SlaPolicy(name="Plain", response_within=timedelta(hours=1))
    plain_status = evaluate(plain, EVENTS, _at(150))
    old_policy = json.loads(dumps(plain))
    old_status = json.loads(dumps(plain_status))
    for key in _METRIC_POLICY_KEYS:
        del old_policy["data"][key]
    for key in _METRIC_STATUS_KEYS:
        del old_status["data"][key]
    old_status["data"]["policy"] = old_policy["data"]
    assert loads(SlaPolicy, json.dumps(old_policy)) == plain
    assert loads(SlaStatus, json.dumps(old_status)) == plain_status
