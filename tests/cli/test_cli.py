from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from contractcore.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_calendar_add_prints_the_deadline_in_the_calendars_zone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(
        capsys,
        "calendar",
        "add",
        "2026-11-25T15:00",
        "4h",
        "--timezone",
        "America/New_York",
        "--holidays",
        "US:NY",
    )
    assert status == 0
    assert out.strip() == "2026-11-27T11:00:00-05:00"


def test_calendar_counts_the_repeated_autumn_hour_and_reads_a_bare_repeated_time_as_the_first(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Open all Sunday; New York falls back on Sunday 2026-11-01 (01:00-02:00 twice).
    zone = ("--timezone", "America/New_York", "--hours", "sun 00:00-00:00")

    across = run(
        capsys, "calendar", "elapsed", "2026-11-01T01:30-04:00", "2026-11-01T01:10-05:00", *zone
    )
    whole_day = run(capsys, "calendar", "elapsed", "2026-11-01T00:00", "2026-11-02T00:00", *zone)
    first_plus_hour = run(capsys, "calendar", "add", "2026-11-01T01:30", "1h", *zone)

    assert across == (0, "40m (0.666667 business hours)\n", "")
    assert whole_day == (0, "1d 1h (25 business hours)\n", "")
    assert first_plus_hour == (0, "2026-11-01T01:30:00-05:00\n", "")


def test_calendar_elapsed_reads_split_shifts_and_iso_durations(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(
        capsys,
        "calendar",
        "elapsed",
        "2026-06-01T08:00:00+00:00",
        "2026-06-02T00:00:00+00:00",
        "--hours",
        "mon-fri 09:00-12:00,13:00-17:00",
    )
    assert status == 0
    assert out.strip() == "7h (7 business hours)"
    assert (
        run(capsys, "calendar", "add", "2026-06-01T09:00", "PT1H30M")[1].strip()
        == "2026-06-01T10:30:00+00:00"
    )


def test_a_calendar_file_is_read_as_plain_data(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "calendar.json"
    path.write_text(
        json.dumps({"timezone": "Europe/London", "weekly_hours": {"sat": [["10:00", "14:00"]]}})
    )
    status, out, _ = run(
        capsys, "calendar", "add", "2026-06-01T09:00", "5h", "--calendar", str(path)
    )
    assert status == 0
    assert out.strip() == "2026-06-13T11:00:00+01:00"


@pytest.mark.parametrize(
    ("argv", "message", "code"),
    [
        (["calendar", "add", "2026-11-25T15:00", "4 hours"], "DURATION must look like", 2),
        (["calendar", "add", "yesterday", "4h"], "START must be an ISO 8601 datetime", 2),
        (
            ["calendar", "add", "2026-11-25T15:00", "4h", "--timezone", "Mars/Olympus"],
            "Mars/Olympus",
            1,
        ),
        (
            ["calendar", "add", "2026-11-25T15:00", "4h", "--hours", "weekdays"],
            "--hours must look like",
            2,
        ),
        (
            ["calendar", "elapsed", "2026-11-25T15:00", "2026-11-24T15:00"],
            "end must not be before start",
            1,
        ),
        (
            ["calendar", "add", "2026-11-25T15:00", "4h", "--calendar", "/nonexistent.json"],
            "--calendar",
            2,
        ),
        (["calendar", "add", "0001-01-01T10:00", "-4h"], "outside the years 1 to 9999", 1),
        # Found in review: these raised OverflowError or ValueError tracebacks.
        (["calendar", "add", "2026-11-20T15:00", "99999999999d"], "DURATION is too long", 2),
        (["calendar", "add", "9999-12-31T15:00", "4h"], "outside the years 1 to 9999", 1),
        (
            ["calendar", "elapsed", "0001-01-01T00:00", "0001-01-02T00:00", "--timezone", "EST"],
            "outside the years 1 to 9999",
            1,
        ),
    ],
)
def test_bad_arguments_print_one_clear_line_and_exit_2_for_usage_or_1_for_data(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str, code: int
) -> None:
    status, out, err = run(capsys, *argv)
    assert status == code
    assert out == ""
    assert err.count("\n") == 1
    assert message in err


def test_the_demo_shows_deadlines_across_a_weekend_a_holiday_and_dst(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "demo")
    assert status == 0
    assert "Thanksgiving             Wed 2026-11-25 15:00     4h  Fri 2026-11-27 11:00 EST" in out
    assert "clocks spring forward    Sat 2026-03-07 22:00     7h  Sun 2026-03-08 06:00 EDT" in out


def test_a_huge_renewals_window_is_an_argument_error_not_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Found in review: ``--within 99999999999`` raised OverflowError."""
    with pytest.raises(SystemExit) as exited:
        main(["renewals", "--db", f"sqlite:///{tmp_path / 'x.db'}", "--within", "99999999999"])
    assert exited.value.code == 2
    assert "--within: must be a whole number of days" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "message", "code"),
    [
        (b"\xff\xfe{}", "--calendar", 2),
        (
            b'{"timezone": "UTC", "holidays": {"country": 5}}',
            "holidays.country must be a string",
            1,
        ),
    ],
)
def test_a_bad_calendar_file_is_one_clear_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, message: str, code: int
) -> None:
    """Found in review: invalid UTF-8 and a non-string country raised tracebacks."""
    path = tmp_path / "calendar.json"
    path.write_bytes(content)
    status, out, err = run(
        capsys, "calendar", "add", "2026-11-20T15:00", "4h", "--calendar", str(path)
    )
    assert (status, out, err.count("\n")) == (code, "", 1)
    assert message in err


def test_version_and_python_dash_m_run_the_same_command_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"contractcore {version('contractcore')}\n"
    shown = subprocess.run(
        [sys.executable, "-m", "contractcore", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout == f"contractcore {version('contractcore')}\n"


@pytest.mark.parametrize("back", ["-4h", "-4:00", "-PT4H", "-3h 60m"])
def test_a_negative_duration_counts_back_from_start_and_add_returns(
    capsys: pytest.CaptureFixture[str], back: str
) -> None:
    """``-4h`` is read as a value, not an option: the latest instant 4 business hours before."""
    status, out, err = run(capsys, "calendar", "add", "2026-11-23T11:00", back, "--timezone", "EST")
    assert (status, err) == (0, "")
    assert out == "2026-11-20T15:00:00-05:00\n"  # Friday 15:00: 2h on Friday, 2h on Monday
    status, out, _ = run(capsys, "calendar", "add", out.strip(), "4h", "--timezone", "EST")
    assert (status, out) == (0, "2026-11-23T11:00:00-05:00\n")
