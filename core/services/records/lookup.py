"""Enterprise lookup: by USCC, by part of a current or former name, by pinyin initials.

Ranking: exact USCC > exact name > prefix > substring. Each step is an indexed query with a
limit, so a common word ("科技") costs no more than a rare one.
"""
from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from core import search_text, uscc as uscc_rules
from core.db.engine import Database
from core.db.models import Enterprise, EnterpriseName
from core.domain import EnterpriseHit, EnterpriseInfo
from core.errors import NotFound
from core.services.reports.assemble import enterprise_info

_MAX_CHAR = "\U0010ffff"
_CANDIDATES = 400
_GIN_SAMPLE = 5000
_NAME_COLS = (EnterpriseName.enterprise_id, EnterpriseName.name, EnterpriseName.is_current)  # gram candidates checked exactly per substring query
_HIT_COLS = (Enterprise.id, Enterprise.uscc, Enterprise.name, Enterprise.legal_rep, Enterprise.reg_status)
_INFO_COLS = (Enterprise.uscc, Enterprise.name, Enterprise.former_names, Enterprise.legal_rep,
              Enterprise.founded_on, Enterprise.address, Enterprise.division, Enterprise.reg_authority,
              Enterprise.reg_status, Enterprise.kind)  # what enterprise_info reads


class LookupService:
    def __init__(self, db: Database):
        self.db = db

    def get(self, uscc: str) -> EnterpriseInfo:
        """One statement (the former names are a column of the row); on PostgreSQL one round trip
        (no BEGIN, no COMMIT; core/db/liveness.py pings only a connection in doubt)."""
        code = uscc_rules.validate(uscc)
        with self.db.session() as s:
            self._single_read(s)
            row = s.execute(select(*_INFO_COLS).where(Enterprise.uscc == code)).first()
            if row is None:
                raise NotFound(f"未找到统一社会信用代码为 {code} 的企业")
            return enterprise_info(row)

    def search(self, query: str, limit: int = 50) -> list[EnterpriseHit]:
        q = search_text.fold(query)
        if not q:
            return []
        code = uscc_rules.normalize(query)
        if len(code) == 18:  # a whole credit code names one enterprise: one statement, done
            with self.db.session() as s:
                self._single_read(s)
                row = s.execute(select(*_HIT_COLS).where(Enterprise.uscc == code)).first()
            if row is not None:
                return [self._hit(row, "", "uscc")]
        with self.db.session() as s:
            found: dict[int, tuple[str, str]] = {}  # enterprise id -> (matched name, match)
            if self.db.dialect == "postgresql":
                # Very common words ("科技", "有限") match millions of names; a GIN scan then reads
                # them all. This bounds it, returning a sample: enough for a top-50 list.
                s.execute(text(f"SET LOCAL gin_fuzzy_search_limit = {_GIN_SAMPLE}"))
            if q.isascii() and q.isalpha():
                self._initials(s, q, found, limit)
            self._names(s, q, found, limit)
            return self._hits(s, found)

    # -- steps ---------------------------------------------------------------------------

    def _names(self, s: Session, q: str, found: dict, limit: int) -> None:
        col = self._binary(EnterpriseName.name)
        exact = select(*_NAME_COLS).where(col == q)
        self._take(s, exact.limit(limit), found, "name", limit)
        prefix = (
            select(*_NAME_COLS)
            .where(col >= q, col < q + _MAX_CHAR)
            .order_by(col)
            .limit(limit)
        )
        self._take(s, prefix, found, "prefix", limit)
        if len(found) >= limit:
            return
        rows = s.execute(self._gram_query(search_text.query_tokens(q))).all()
        matches = sorted(
            (r for r in rows if q in search_text.fold(r[1])), key=lambda r: (len(r[1]), r[1])
        )
        self._add(matches, found, "contains", limit)

    def _initials(self, s: Session, q: str, found: dict, limit: int) -> None:
        col = self._binary(EnterpriseName.initials)
        prefix = (
            select(*_NAME_COLS)
            .where(col >= q, col < q + "~")
            .order_by(col)
            .limit(limit)
        )
        self._take(s, prefix, found, "initials", limit)
        if len(found) >= limit or len(q) < 2:
            return
        tokens = search_text.initials_tokens(q)
        rows = s.execute(
            self._gram_query(tokens, EnterpriseName.initials)
        ).all()
        self._add(
            sorted((r[:3] for r in rows if q in r[3]), key=lambda r: len(r[1])),
            found, "initials", limit,
        )

    # -- helpers -------------------------------------------------------------------------

    def _binary(self, col):
        """Compare in code-point order, so that a prefix is a range on the index."""
        return col.collate("C") if self.db.dialect == "postgresql" else col

    def _gram_query(self, tokens: list[str], *extra):
        cols = (*_NAME_COLS, *extra)
        if self.db.dialect == "postgresql":
            cond = text("to_tsvector('simple', grams) @@ to_tsquery('simple', :q)").bindparams(
                q=" & ".join(tokens)
            )
            return select(*cols).where(cond).limit(_CANDIDATES)
        ids = text(
            "SELECT rowid FROM enterprise_names_fts WHERE enterprise_names_fts MATCH :q LIMIT :n"
        ).bindparams(q=" AND ".join(tokens), n=_CANDIDATES)
        return select(*cols).where(EnterpriseName.id.in_(ids))

    def _take(self, s: Session, stmt, found: dict, match: str, limit: int) -> None:
        if len(found) < limit:
            self._add(s.execute(stmt).all(), found, match, limit)

    @staticmethod
    def _add(rows, found: dict, match: str, limit: int) -> None:
        """Rows are (enterprise id, name, is current); the current name wins within a step."""
        best: dict[int, tuple[str, bool]] = {}
        for ent_id, name, current in rows:
            if ent_id not in best or (current and not best[ent_id][1]):
                best[ent_id] = (name, current)
        for ent_id, (name, _) in best.items():
            if len(found) >= limit:
                return
            found.setdefault(ent_id, (name, match))

    def _single_read(self, s: Session) -> None:
        """This unit of work runs one statement: on PostgreSQL it runs in autocommit, so the driver
        sends no BEGIN and no COMMIT (two round trips of three). One statement reads one snapshot
        whatever the isolation level. (SQLite has no round trips; its BEGIN stays.)"""
        if self.db.dialect == "postgresql":
            s.connection(execution_options={"isolation_level": "AUTOCOMMIT"})

    @staticmethod
    def _hit(row, matched: str, match: str) -> EnterpriseHit:
        return EnterpriseHit(uscc=row.uscc, name=row.name, matched_name=matched or row.name,
                             legal_rep=row.legal_rep, reg_status=row.reg_status, match=match)

    @classmethod
    def _hits(cls, s: Session, found: dict) -> list[EnterpriseHit]:
        if not found:
            return []
        rows = {e.id: e for e in s.execute(select(*_HIT_COLS).where(Enterprise.id.in_(found))).all()}
        return [cls._hit(rows[i], matched, match) for i, (matched, match) in found.items() if i in rows]
