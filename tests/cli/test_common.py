"""The command line's shared readers and writers: durations, ``--now``, table rows."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from contractcore.cli._board import BOARD_COLUMNS
from contractcore.cli._common import (
    Column,
    UsageError,
    format_duration,
    parse_duration,
    resolve_now,
    resolve_today,
    table_row,
)

MAX = timedelta(days=999_999)
durations = st.timedeltas(min_value=-MAX, max_value=MAX)


def reference_format(amount: timedelta) -> str:
    """Obviously correct: whole units by repeated subtraction, biggest first."""
    micros = amount // timedelta(microseconds=1)
    sign = "-" if micros < 0 else ""
    left = abs(micros)
    parts = []
    for unit, size in (("d", 86_400 * 10**6), ("h", 3_600 * 10**6), ("m", 60 * 10**6)):
        count = left // size
        left -= count * size
        if count:
            parts.append(f"{count}{unit}")
    if left % 10**6:
        parts.append(f"{left / 10**6:.6f}".rstrip("0") + "s")
    elif left or not parts:
        parts.append(f"{left // 10**6}s")
    return sign + " ".join(parts)


@given(durations)
@example(timedelta(0))
@example(timedelta(hours=-4))
@example(timedelta(microseconds=-1))
@example(timedelta(days=-2, hours=-3))
def test_a_formatted_duration_reads_back_and_matches_the_reference(amount: timedelta) -> None:
    text = format_duration(amount)
    assert text == reference_format(amount)
    assert parse_duration(text) == amount


@given(
    st.sampled_from(["", "-", "+"]),
    st.lists(st.integers(0, 10_000), min_size=4, max_size=4),
    st.sampled_from(["", " "]),
)
def test_unit_durations_read_as_the_sum_of_their_parts(
    sign: str, counts: list[int], gap: str
) -> None:
    days, hours, minutes, seconds = counts
    text = sign + gap.join(f"{n}{u}" for n, u in zip(counts, "dhms", strict=True))
    expected = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    assert parse_duration(text) == (-expected if sign == "-" else expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-4h", timedelta(hours=-4)),
        ("-1:30", -timedelta(hours=1, minutes=30)),
        ("1:30:15", timedelta(hours=1, minutes=30, seconds=15)),
        ("-2d 3h", -timedelta(days=2, hours=3)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("- PT4H30M", -timedelta(hours=4, minutes=30)),
        ("P1DT2H", timedelta(days=1, hours=2)),
        ("90s", timedelta(seconds=90)),
        ("0.5s", timedelta(milliseconds=500)),
    ],
)
def test_durations_are_read_as_people_write_them(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "-", "4 hours", "1:60", "h", "4h4d", "--4h", "1.5h"])
def test_an_unreadable_duration_names_the_argument_and_the_value(text: str) -> None:
    with pytest.raises(UsageError, match=f"DURATION must look like .*got {text!r}"):
        parse_duration(text)


def _namespace(**values: object) -> argparse.Namespace:
    return argparse.Namespace(**values)


def test_now_is_an_aware_instant_and_a_naive_one_is_read_as_utc() -> None:
    assert resolve_now(_namespace(now="2026-11-23T14:00-05:00")) == datetime(
        2026, 11, 23, 14, tzinfo=timezone(timedelta(hours=-5))
    )
    assert resolve_now(_namespace(now="2026-11-23T19:00")) == datetime(2026, 11, 23, 19, tzinfo=UTC)
    clock = resolve_now(_namespace(now=None))
    assert clock.tzinfo is UTC
    assert clock.microsecond == 0
    with pytest.raises(UsageError, match=r"--now must be an ISO 8601 datetime.*'noon'"):
        resolve_now(_namespace(now="noon"))


def test_today_defaults_to_the_utc_date_of_the_same_clock() -> None:
    assert resolve_today(_namespace(today=date(2026, 11, 25))) == date(2026, 11, 25)
    before = datetime.now(UTC).date()
    today = resolve_today(_namespace(today=None))
    assert before <= today <= datetime.now(UTC).date()


cell = st.text(st.characters(codec="utf-8"), max_size=40)


@given(st.lists(st.lists(cell, min_size=8, max_size=8), min_size=1, max_size=8))
@example([["#1045 Acme with a very long ticket id", "Standard", "red", "breached", "running",
           "response", "Mon 11-23 13:00", "-999999d 23h 59m 59s"]])  # fmt: skip
@example([["a\nb", "\t", "", "", "", "", "", format_duration(timedelta(hours=-4))]])
def test_every_board_row_starts_its_columns_at_the_same_offsets(rows: list[list[str]]) -> None:
    header = table_row(BOARD_COLUMNS, [c.title for c in BOARD_COLUMNS])
    rendered = [table_row(BOARD_COLUMNS, row) for row in rows]
    offsets = []
    at = 0
    for column in BOARD_COLUMNS:
        offsets.append(at)
        at += column.width + 1
    for line, values in zip(rendered, rows, strict=True):
        assert len(line) == len(header) == at - 1
        for column, start, value in zip(BOARD_COLUMNS, offsets, values, strict=True):
            shown = line[start : start + column.width]
            assert start == 0 or line[start - 1] == " "
            flat = " ".join(value.split())
            if len(flat) <= column.width:
                assert shown.strip() == flat.strip()
            else:
                assert shown == flat[: column.width - 1] + "~"


def test_a_right_aligned_column_keeps_negative_times_flush_right() -> None:
    column = Column("remaining", 12, ">")
    assert [column.cell(v) for v in ("-1h", "3h 30m", "-2d 3h")] == [
        "         -1h",
        "      3h 30m",
        "      -2d 3h",
    ]
