"""The compiled table of a calendar: its bucket index agrees with a binary search."""

from __future__ import annotations

import attrs
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from contractcore.columnar._table import table_for
from contractcore.sla.calendar import BusinessCalendar
from tests.columnar.strategies import calendars, instants


@given(
    calendars().flatmap(
        lambda cal: st.tuples(st.just(cal), st.lists(instants(cal), min_size=1, max_size=40))
    )
)
def test_the_bucket_index_finds_the_interval_a_binary_search_finds(
    setup: tuple[BusinessCalendar, list[int]],
) -> None:
    cal, rows = setup
    values = np.array(rows, dtype=np.int64)
    table = table_for(cal, int(values.min()), int(values.max()))
    inside = values[table.inside(values)]
    expected = np.searchsorted(table.opens, inside, side="right") - 1
    assert list(table.interval(inside)) == list(expected)
    searched = attrs.evolve(table, first=None, following=None)
    assert list(searched.interval(inside)) == list(expected)
