"""A column of credit codes checked whole (``cells.clean_column``, ``uscc.all_valid``) gives the
values only when reading the cells one by one would find nothing wrong, and then the same
values; any cell that one-by-one reading refuses makes the whole-column check step aside."""
from __future__ import annotations

import random
from datetime import date

import pytest

from core import uscc
from core.services.records.ingest import columns as C
from core.services.records.ingest.cells import cell_reader, clean_column

RNG = random.Random(11)
CODES = [uscc.generate(RNG) for _ in range(40)]
FIELD = next(f for f in C.fields_for("penalties") if f.key == "uscc")
WHOLE = clean_column("penalties", FIELD, None)
ONE = cell_reader("penalties", FIELD, None, date(2026, 11, 28))

ODD_CELLS = [
    pytest.param(CODES[1] + "\n" + CODES[2], id="two-codes-in-one-cell"),
    pytest.param(CODES[1] + "\r\n" + CODES[2], id="two-codes-crlf"),
    pytest.param(" " + CODES[1], id="leading-space"),
    pytest.param(CODES[1] + "\x1f", id="trailing-unit-separator"),
    pytest.param("\u200b" + CODES[1], id="zero-width-space"),
    pytest.param(CODES[1] + "\ufeff", id="bom"),
    pytest.param(CODES[1].lower(), id="lower-case"),
    pytest.param(CODES[1][:17], id="17-characters"),
    pytest.param(CODES[1] + "0", id="19-characters"),
    pytest.param("", id="blank"),
    pytest.param("   ", id="spaces"),
    pytest.param("<清空>", id="clear"),
    pytest.param(CODES[1][:5] + "-" + CODES[1][5:], id="dash"),
    pytest.param(CODES[1][:17] + ("0" if CODES[1][17] != "0" else "1"), id="wrong-check"),
]


@pytest.mark.parametrize("cell", ODD_CELLS)
def test_a_column_with_an_odd_cell_gives_what_one_by_one_reading_gives(cell):
    column = tuple(CODES[:10]) + (cell,) + tuple(CODES[10:20])
    one_by_one = [ONE(raw) for raw in column]
    whole = WHOLE(column)
    if whole is None:  # the cells are then read one by one: nothing is lost
        return
    assert all(reason is None and stated for _, stated, reason in one_by_one), cell
    assert whole == [value for value, _, _ in one_by_one]


def test_a_clean_column_is_taken_whole_with_the_same_values():
    column = tuple(CODES)
    assert WHOLE(column) == [ONE(raw)[0] for raw in column] == CODES


def test_two_codes_in_one_cell_are_never_taken_as_one_code():
    assert not uscc.all_valid(CODES[:3] + [CODES[3] + "\n" + CODES[4]])
    assert WHOLE(tuple(CODES[:3]) + (CODES[3] + "\n" + CODES[4],)) is None
    assert ONE(CODES[3] + "\n" + CODES[4])[2] is not None
