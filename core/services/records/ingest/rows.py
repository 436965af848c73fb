"""Check and convert the rows of a department file (no database involved).

``parse_table`` turns a ``Table`` into typed rows ready to store, and a list of
rejections, one per bad cell, each naming the row and the column as the file
shows them so the department can correct its file. One cell's check is in ``cells``,
the rules across a row's cells in ``column_rules``; this module runs them a chunk at a time.
"""
from __future__ import annotations

import functools
from operator import itemgetter
from dataclasses import dataclass
from datetime import date
from typing import Callable

from core.services.records.ingest import columns as C
from core.services.records.ingest.cells import CLEAR, REQUIRED_EMPTY, Cell, cell_reader, clean_column
from core.services.records.ingest.column_rules import DERIVED, ROW_RULES, Checked
from core.services.records.ingest.readers import Table, UnreadableFile

__all__ = ["Rejection", "ParsedRow", "ParsedChunk", "RowParser", "parse_table", "CLEAR", "REQUIRED_EMPTY"]


# Rows that name the same thing twice inside one file: the later one is refused.
_UNIQUE_KEYS: dict[str, tuple[str, ...]] = {
    "enterprises": ("uscc",),
    "penalties": ("organ", "decision_no"),
    "arrears": ("uscc", "kind", "period", "source_unit"),
    "repairs": ("decision_no", "document_no"),
    "enforcement": ("organ", "decision_no"),
    "dishonest_lists": ("uscc", "authority", "list_name", "listed_on"),
    "criminal": ("court", "case_no"),
}


@dataclass(frozen=True)
class Rejection:
    """One problem in one cell; ``column`` is the header as in the file (None: whole row)."""

    row: int
    column: str | None
    reason: str


class ParsedRow:
    """A good row: canonical keys → typed values, for the columns the file has (and the ones
    with a default or derived from others); every row of one file has the same keys.

    ``given`` names the keys the file actually states for this row (a non-empty cell, or
    ``<清空>``): an existing record is changed only in those; the others keep their value.
    (A plain class with slots: one is made for every row of a file.)
    """

    __slots__ = ("row", "values", "given")

    def __init__(self, row: int, values: dict, given: frozenset = frozenset()):
        self.row = row
        self.values = values
        self.given = given

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ParsedRow):
            return NotImplemented
        return self.row == other.row and self.values == other.values

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ParsedRow(row={self.row!r}, values={self.values!r})"


# --- rows ----------------------------------------------------------------------

_VALUE, _GIVEN, _REASON = itemgetter(0), itemgetter(1), itemgetter(2)
_TEXT_TYPES = frozenset({str, type(None)})
_DISTINCT_SHARE = 0.8  # a column whose chunk is this new is not remembered any more
_MEMO_LIMIT = 20_000  # remembered distinct cells per column (department files repeat a lot)


class ParsedChunk:
    """The good rows of one chunk kept as columns: ``self[key]`` is the list of that key's values,
    one per row, in file order; ``numbers`` the rows' numbers in the file. No record is built per
    row; ``rows()`` gives them as ``ParsedRow`` for the callers that want one."""

    __slots__ = ("columns", "numbers", "masks", "_given_of")

    def __init__(self, columns: dict[str, list], numbers: list[int], masks: list[int],
                 given_of: Callable[[int], frozenset]):
        self.columns = columns
        self.numbers = numbers
        self.masks = masks  # per row: the bits of the keys the file states (see ``given``)
        self._given_of = given_of

    def __len__(self) -> int:
        return len(self.numbers)

    def __getitem__(self, key: str) -> list:
        return self.columns[key]

    def __contains__(self, key: str) -> bool:
        return key in self.columns

    def given(self, i: int) -> frozenset:
        """The keys the file states for row ``i`` (see ``ParsedRow.given``)."""
        return self._given_of(self.masks[i])

    def take(self, indices: list[int]) -> ParsedChunk:
        """Only the rows at ``indices`` (in that order)."""
        if len(indices) == len(self.numbers):
            return self
        pick = _picker(indices)
        return ParsedChunk({k: pick(v) for k, v in self.columns.items()}, pick(self.numbers),
                           pick(self.masks), self._given_of)

    def rows(self) -> list[ParsedRow]:
        keys = tuple(self.columns)
        return [ParsedRow(number, dict(zip(keys, values)), self._given_of(mask))
                for number, values, mask in zip(self.numbers, zip(*self.columns.values()), self.masks)]


def _picker(indices: list[int]) -> Callable[[list], list]:
    if not indices:
        return lambda values: []
    if len(indices) == 1:
        return lambda values: [values[indices[0]]]
    get = itemgetter(*indices)
    return lambda values: list(get(values))


class RowParser:
    """Checks the rows of one file, a chunk at a time, column by column.

    Raises ``UnreadableFile`` when a required column is missing from the headers. A row with
    any bad cell is left out of the parsed rows; each bad cell gives one ``Rejection``. Rows
    naming the same record twice within one chunk are caught here (the later one is refused);
    across chunks the importer catches them against what it has stored.
    """

    def __init__(self, kind: str, headers: tuple[str, ...], profile, *, today: date | None = None):
        fields = C.fields_for(kind)
        mapping = C.match_columns(kind, headers)
        if mapping.missing:
            raise UnreadableFile(f"缺少必需的列：{'、'.join(mapping.missing)}")
        today = today or date.today()
        self.kind = kind
        self.profile = profile
        self.mapping = mapping
        self.headers = mapping.header
        # A column the file lacks, with no default, is left out of the values: it means NULL for a
        # new record and "keep" for an existing one (absent keys are never written on update).
        fields = tuple(f for f in fields if f.key in mapping.index or f.default is not None)
        self.keys = tuple(f.key for f in fields)
        # One bit per key in a row's mask of stated keys: the fields', then the derived ones'.
        derived = tuple(k for k in DERIVED.get(kind, ()) if k not in self.keys)
        self.bits = {key: bit for bit, key in enumerate(self.keys + derived)}
        self.rules = ROW_RULES[kind]
        self.unique = _UNIQUE_KEYS[kind]
        self.unique_column = (self.headers["decision_no"] if kind in ("penalties", "enforcement") else
                              self.headers["case_no"] if kind == "criminal" else
                              self.headers[self.unique[0]] if len(self.unique) == 1 else None)
        self.plan = [(f.key, mapping.index.get(f.key), cell_reader(kind, f, profile, today), {})
                     for f in fields]
        self._clean = {f.key: clean_column(kind, f, profile) for f in fields}
        self._given: dict[int, frozenset] = {}
        self._domains = functools.lru_cache(maxsize=4096)(profile.domains_for_unit)

    def parse(self, chunk: list[tuple[int, tuple]]) -> tuple[ParsedChunk, list[Rejection]]:
        """The good rows of ``chunk`` (``(number, cells)`` pairs) as columns, and the problems."""
        n = len(chunk)
        numbers = [number for number, _ in chunk]
        if not n:
            return ParsedChunk({k: [] for k in self.keys}, numbers, [], self._given_set), []
        checked = self._check_cells(chunk)
        self.rules(checked, self._domains)
        duplicates = self._duplicates(checked, numbers)
        problems = checked.problems
        if not problems and not duplicates:
            return ParsedChunk(checked.columns, numbers, checked.masks, self._given_set), []
        headers = self.headers
        rejections: list[Rejection] = []
        for i in sorted({*problems, *duplicates}):
            number = numbers[i]
            rejections.extend(Rejection(number, headers[k] if k else None, reason)
                              for k, reason in problems.get(i, ()))
            if i in duplicates:
                rejections.append(Rejection(number, self.unique_column, f"与第{duplicates[i]}行重复"))
        keep = [i for i in range(n) if i not in problems and i not in duplicates]
        whole = ParsedChunk(checked.columns, numbers, checked.masks, self._given_set)
        return whole.take(keep), rejections

    def _check_cells(self, chunk: list[tuple[int, tuple]]) -> Checked:
        """Every cell checked, column by column, remembering the result of repeated cells."""
        n = len(chunk)
        columns = list(zip(*[cells for _, cells in chunk]))
        values: dict[str, list] = {}
        mask_cols: list[list[int]] = []
        problems: dict[int, list[tuple[str, str]]] = {}
        always = 0  # the fields every row of the chunk states
        for bit, (key, position, read, memo) in enumerate(self.plan):
            if position is None:
                values[key] = [read(None)[0]] * n
                continue
            found = self._read_clean(bit, columns[position], n)
            if found is not None:  # every cell good and stated
                values[key] = found
                always |= 1 << bit
                continue
            results = self._read_column(bit, columns[position], n)
            values[key] = list(map(_VALUE, results))
            stated = list(map(_GIVEN, results))
            if all(stated):
                always |= 1 << bit
            else:
                flag = 1 << bit
                mask_cols.append([flag if g else 0 for g in stated])
            if any(map(_REASON, results)):
                for i, r in enumerate(results):
                    if r[2] is not None:
                        problems.setdefault(i, []).append((key, r[2]))
        masks = [always + sum(m) for m in zip(*mask_cols)] if mask_cols else [always] * n
        return Checked(n, values, masks, problems, self.bits)

    def _read_clean(self, bit: int, column: tuple, n: int) -> list | None:
        """The column's values when every cell of it is good and stated, found without a result
        per cell: a column of mostly distinct values checked whole, another through the results
        remembered for its distinct cells. None: some cell needs ``_read_column``."""
        key, position, read, memo = self.plan[bit]
        if memo is None:
            clean = self._clean[key]
            return clean(column) if clean is not None else None
        distinct = set(column)
        if not set(map(type, distinct)) <= _TEXT_TYPES:
            return None  # typed XLSX cells: 1, 1.0 and True would share one entry
        if len(memo) + len(distinct) > _MEMO_LIMIT:
            memo.clear()
        fresh = [raw for raw in distinct if raw not in memo]
        if len(fresh) > n * _DISTINCT_SHARE:  # mostly new values: not remembered from now on
            self.plan[bit] = (key, position, read, None)
            clean = self._clean[key]
            if clean is not None:  # checked whole at once, not value by value
                return clean(column)
        for raw in fresh:
            memo[raw] = read(raw)
        cells = {raw: memo[raw] for raw in distinct}
        if not all(cell[1] and cell[2] is None for cell in cells.values()):
            return None
        if len(cells) == 1:  # one value all the way down (the same object, as the map would give)
            return [cells[column[0]][0]] * n
        return list(map({raw: cell[0] for raw, cell in cells.items()}.__getitem__, column))

    def _read_column(self, bit: int, column: tuple, n: int) -> list[Cell]:
        key, position, read, memo = self.plan[bit]
        if memo is None:  # a column of mostly distinct values: remembering costs more
            return list(map(read, column))
        if len(memo) > _MEMO_LIMIT:
            memo.clear()
        results = list(map(memo.get, column))  # memo keys are text or None only
        if None not in results:
            return results
        misses = 0
        for i in [i for i, r in enumerate(results) if r is None]:
            raw = column[i]
            if raw is None or raw.__class__ is str:
                r = memo.get(raw)  # an earlier row of this chunk may have filled it
                if r is None:
                    r = memo[raw] = read(raw)
                    misses += 1
            else:  # typed XLSX cells: 1, 1.0 and True would share one entry
                r = read(raw)
            results[i] = r
        if misses > n * _DISTINCT_SHARE:
            self.plan[bit] = (key, position, read, None)
        return results

    def _duplicates(self, checked: Checked, numbers: list[int]) -> dict[int, int]:
        """Row index → number of the earlier row naming the same record, within the chunk."""
        n = checked.n
        if any(len(set(checked.columns[k])) == n for k in self.unique):
            return {}  # one of the keys alone is different in every row
        identities = list(zip(*[checked.columns[k] for k in self.unique]))
        unique, problems = self.unique, checked.problems
        seen: dict[tuple, int] = {}
        found: dict[int, int] = {}
        for i, identity in enumerate(identities):
            if None in identity or (i in problems and checked.bad(i, *unique)):
                continue
            first = seen.setdefault(identity, numbers[i])
            if first != numbers[i]:
                found[i] = first
        return found

    def _given_set(self, mask: int) -> frozenset:
        given = self._given.get(mask)
        if given is None:
            given = self._given[mask] = frozenset(key for key, bit in self.bits.items() if mask >> bit & 1)
        return given


def parse_table(
    kind: str, table: Table, profile, *, today: date | None = None
) -> tuple[list[ParsedRow], list[Rejection]]:
    """Check every row of a whole ``table`` as an import of ``kind`` (see ``RowParser``)."""
    good, rejections = RowParser(kind, table.headers, profile, today=today).parse(list(table.rows))
    return good.rows(), rejections
