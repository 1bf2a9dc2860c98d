"""Columns in and out: numpy and Arrow arrays as int64 microseconds and a null mask.

Reading checks what the scalar API checks (every instant is aware, no
negative durations) and what only columns can get wrong (a unit finer than
the microsecond with a remainder, lengths that differ); writing gives the
result back in the kind the caller passed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from contractcore.errors import InvalidArgumentError, NaiveDatetimeError

__all__ = [
    "FIRST_INSTANT",
    "LAST_INSTANT",
    "Column",
    "Int64s",
    "Mask",
    "check_lengths",
    "read_durations",
    "read_instants",
    "to_datetime",
    "write_booleans",
    "write_durations",
    "write_instants",
]

Int64s = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
#: The instants a ``datetime`` can hold, in microseconds since the epoch.
FIRST_INSTANT = (datetime(1, 1, 1, tzinfo=UTC) - _EPOCH) // _MICROSECOND
LAST_INSTANT = (datetime.max.replace(tzinfo=UTC) - _EPOCH) // _MICROSECOND
#: Units finer than the microsecond, as a count of them per microsecond.
_FINER = {"ns": 1_000, "ps": 1_000_000, "fs": 1_000_000_000, "as": 1_000_000_000_000}
#: Units of fixed length at least the microsecond, in microseconds.
_COARSER = {
    "W": 604_800_000_000,
    "D": 86_400_000_000,
    "h": 3_600_000_000,
    "m": 60_000_000,
    "s": 1_000_000,
    "ms": 1_000,
    "us": 1,
}
_NAT = np.iinfo(np.int64).min
_SPAN = LAST_INSTANT - FIRST_INSTANT


@attrs.frozen(eq=False)
class Column:
    """One column as microseconds: ``values`` (garbage where null) and ``nulls``.

    ``arrow`` says the caller passed Arrow; ``chunks`` holds the lengths of a
    chunked array's chunks, so a result can be chunked the same way.
    """

    values: Int64s
    nulls: Mask | None
    arrow: bool
    chunks: tuple[int, ...] | None = None

    def __len__(self) -> int:
        return len(self.values)


def to_datetime(instant: int) -> datetime:
    """The aware UTC datetime of ``instant`` microseconds since the epoch."""
    return _EPOCH + timedelta(microseconds=instant)


def _describe(column: Any) -> str:
    kind = getattr(column, "dtype", None) or getattr(column, "type", None)
    return f"{type(column).__name__} of {kind}" if kind is not None else repr(column)[:80]


def _first_bad(values: npt.NDArray[Any], bad: Mask) -> Any:
    return values[int(np.argmax(bad))]


def _numpy(column: npt.NDArray[Any], argument: str, letter: str, noun: str) -> Column:
    if column.dtype.kind != letter:
        msg = f"{argument} must be {noun}, got a numpy array of {column.dtype}"
        raise InvalidArgumentError(msg)
    if column.ndim != 1:
        msg = f"{argument} must be one-dimensional, got shape {column.shape}"
        raise InvalidArgumentError(msg)
    unit, count = np.datetime_data(column.dtype)
    raw = column.view(np.int64)
    nulls = raw == _NAT
    if unit in _FINER:
        step = _FINER[unit] * count
        bad = (raw % step != 0) & ~nulls
        if bad.any():
            msg = (
                f"{argument} must be whole microseconds, got {_first_bad(column, bad)} "
                f"(contractcore computes to the microsecond)"
            )
            raise InvalidArgumentError(msg)
        values = raw // step
    elif unit == "us" and count == 1:
        values = raw
    elif letter == "M":
        # Months and years are not a fixed number of microseconds: compare
        # with the bounds of datetime in the column's own unit.
        first = np.datetime64(to_datetime(FIRST_INSTANT).replace(tzinfo=None), "us")
        last = np.datetime64(to_datetime(LAST_INSTANT).replace(tzinfo=None), "us")
        low = first.astype(column.dtype).view(np.int64)
        high = last.astype(column.dtype).view(np.int64)
        bad = ((raw < low) | (raw > high)) & ~nulls
        if bad.any():
            msg = f"{argument} must be in years 1 to 9999, got {_first_bad(column, bad)}"
            raise InvalidArgumentError(msg)
        values = column.astype("M8[us]").view(np.int64)
    else:
        if unit not in _COARSER:  # months and years vary in length
            msg = f"{argument} must be in units of weeks or finer, got {column.dtype}"
            raise InvalidArgumentError(msg)
        step = _COARSER[unit] * count
        bad = (np.abs(raw) > _SPAN // step) & ~nulls
        if bad.any():
            msg = f"{argument} must be at most 9999 years, got {_first_bad(column, bad)}"
            raise InvalidArgumentError(msg)
        values = raw * step
    return Column(values, nulls if nulls.any() else None, arrow=False)


def _arrow(column: Any, argument: str, kind: str) -> Column:
    chunks = None
    if isinstance(column, pa.ChunkedArray):
        chunks = tuple(len(chunk) for chunk in column.chunks)
        column = column.combine_chunks()
    if kind == "instant":
        if column.type.tz is None:
            msg = (
                f"{argument} must be timezone-aware timestamps, got {column.type} "
                f"without a time zone (every instant is aware; read naive times as UTC "
                f"with pyarrow.compute.assume_timezone)"
            )
            raise NaiveDatetimeError(msg)
        target = pa.timestamp("us", tz=column.type.tz)
    else:
        target = pa.duration("us")
    try:
        column = column.cast(target)
    except (pa.ArrowInvalid, OverflowError) as exc:
        msg = f"{argument} must be whole microseconds within range: {exc}"
        raise InvalidArgumentError(msg) from exc
    values = np.frombuffer(column.buffers()[1], dtype=np.int64, count=column.offset + len(column))
    values = values[column.offset :]
    nulls = None
    if column.null_count:
        nulls = column.is_null().to_numpy(zero_copy_only=False)
    return Column(values, nulls, arrow=True, chunks=chunks)


def read_instants(column: Any, argument: str) -> Column:
    """Read a column of instants: numpy ``datetime64`` (as UTC) or Arrow timestamps with a zone.

    Raises:
        NaiveDatetimeError: an Arrow timestamp type without a time zone.
        InvalidArgumentError: anything else that is not a column of instants,
            a remainder finer than the microsecond, a year outside 1 to 9999.
    """
    if isinstance(column, np.ndarray):
        read = _numpy(column, argument, "M", "a numpy datetime64 array")
    elif isinstance(column, pa.Array | pa.ChunkedArray) and pa.types.is_timestamp(column.type):
        read = _arrow(column, argument, "instant")
    else:
        msg = (
            f"{argument} must be a pyarrow timestamp array with a time zone or a numpy "
            f"datetime64 array, got {_describe(column)}"
        )
        raise InvalidArgumentError(msg)
    valid = read.values if read.nulls is None else read.values[~read.nulls]
    if len(valid) and (valid.min() < FIRST_INSTANT or valid.max() > LAST_INSTANT):
        bad = (read.values < FIRST_INSTANT) | (read.values > LAST_INSTANT)
        if read.nulls is not None:
            bad &= ~read.nulls
        msg = f"{argument} must be in years 1 to 9999, got {_first_bad(read.values, bad)} us"
        raise InvalidArgumentError(msg)
    return read


def read_durations(column: Any, argument: str) -> Column:
    """Read a column of durations: numpy ``timedelta64`` or Arrow durations, none negative.

    Raises:
        InvalidArgumentError: not a column of durations, a remainder finer
            than the microsecond, or a negative duration.
    """
    if isinstance(column, np.ndarray):
        read = _numpy(column, argument, "m", "a numpy timedelta64 array")
    elif isinstance(column, pa.Array | pa.ChunkedArray) and pa.types.is_duration(column.type):
        read = _arrow(column, argument, "duration")
    else:
        msg = (
            f"{argument} must be a pyarrow duration array or a numpy timedelta64 array, "
            f"got {_describe(column)}"
        )
        raise InvalidArgumentError(msg)
    negative = read.values < 0
    if read.nulls is not None:
        negative &= ~read.nulls
    if negative.any():
        where = int(np.argmax(negative))
        value = timedelta(microseconds=int(read.values[where]))
        msg = f"{argument} must not be negative, got {argument}[{where}]={value!r}"
        raise InvalidArgumentError(msg)
    return read


def check_lengths(first: Column, first_name: str, second: Column, second_name: str) -> None:
    """Refuse two columns of different lengths, naming both."""
    if len(first) != len(second):
        msg = (
            f"{first_name} and {second_name} must have the same length, "
            f"got {len(first)} and {len(second)}"
        )
        raise InvalidArgumentError(msg)


def _arrow_out(values: npt.NDArray[Any], nulls: Mask | None, kind: Any, like: Column) -> Any:
    array = pa.array(values, type=kind, mask=nulls)
    if like.chunks is None:
        return array
    pieces, at = [], 0
    for length in like.chunks:
        pieces.append(array.slice(at, length))
        at += length
    return pa.chunked_array(pieces, type=kind)


def write_instants(values: Int64s, nulls: Mask | None, like: Column) -> Any:
    """Instants in the kind of ``like``: Arrow UTC timestamps or numpy ``datetime64[us]``."""
    if like.arrow:
        return _arrow_out(values, nulls, pa.timestamp("us", tz="UTC"), like)
    out = values.view("M8[us]")
    if nulls is not None:
        out[nulls] = np.datetime64("NaT")
    return out


def write_durations(values: Int64s, nulls: Mask | None, like: Column) -> Any:
    """Durations in the kind of ``like``: Arrow ``duration[us]`` or numpy ``timedelta64[us]``."""
    if like.arrow:
        return _arrow_out(values, nulls, pa.duration("us"), like)
    out = values.view("m8[us]")
    if nulls is not None:
        out[nulls] = np.timedelta64("NaT")
    return out


def write_booleans(values: Mask, nulls: Mask | None, like: Column) -> Any:
    """Booleans in the kind of ``like``: Arrow booleans or a numpy masked array."""
    if like.arrow:
        return _arrow_out(values, nulls, pa.bool_(), like)
    return np.ma.MaskedArray(values, mask=np.ma.nomask if nulls is None else nulls)
