"""Database limits never surface as a raw driver message, and no driver error carries values."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy.exc import IntegrityError

from core.db.engine import Database
from core.db.models_reports import User
from core.errors import ValueRejected, explain


def test_a_value_too_long_is_one_sentence(pg_url):
    """PostgreSQL enforces column lengths (SQLite does not: the ingest checks them there)."""
    db = Database(pg_url)
    with pytest.raises(ValueRejected, match="超出数据库允许的长度或数值范围") as caught:
        with db.session() as s:
            s.add(User(username="x" * 300, display_name="x", role="窗口人员", password_hash="h",
                       active=True, failed_attempts=0, created_at=datetime.now()))
    assert "x" * 70 not in str(caught.value)
    db.dispose()


def test_a_driver_error_never_shows_the_values(db, tmp_path):
    secret = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$c2VjcmV0LWhhc2g"
    with db.session() as s:
        s.add(User(username="dup", display_name="x", role="窗口人员", password_hash=secret,
                   active=True, failed_attempts=0, created_at=datetime.now()))
    with pytest.raises(IntegrityError) as caught:
        with db.session() as s:
            s.add(User(username="dup", display_name="x", role="窗口人员", password_hash=secret,
                       active=True, failed_attempts=0, created_at=datetime.now()))
    assert secret not in str(caught.value)
    explained = explain(caught.value, log_dir=tmp_path)
    assert "argon2" not in explained.message and explained.reference
    assert "argon2" not in (tmp_path / "errors.log").read_text(encoding="utf-8")
