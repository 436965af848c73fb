"""Verification checks everything it can (issue 8, part 6), and the files it keeps (part 7).

Online every signed claim must equal the archived report; a future issue date or a validity
longer than the configured one is forged online and offline; the trust-list cache is owner-only,
records its last sync, and loses a hand-added key as soon as the database is reachable.
"""
from __future__ import annotations

import json
import os
import stat
from contextlib import nullcontext
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.db.engine import Database
from core.errors import InvalidRequest
from core.services.reports.verify import VerificationService
from core.services.signing.keys import KeyService
from core.services.signing.payload import QrClaims, key_id_for, parse_payload, sign_payload
from tests.desks import make_desk
from tests.factories import add_enterprise

NOW = datetime(2026, 11, 27, 9, 30)
TODAY = date(2026, 11, 28)
AWAY = "postgresql+psycopg://postgres@127.0.0.1:1/none"


@pytest.fixture
def keys(db, tmp_path):
    service = KeyService(db, tmp_path / "data" / "keys", tmp_path / "data" / "trust-list.json")
    service.create(user="admin", label="一号窗口", today=date(2026, 1, 1))
    return service


@pytest.fixture
def issuer(db, profile, keys):
    return make_desk(db, profile, keys)


def verify(db, keys, text, today=TODAY, validity_days=30):
    return VerificationService(db, keys, validity_days).verify(text, user="核验员", counter="二号窗口",
                                                               today=today)


def offline(keys):
    return KeyService(Database(AWAY), keys.key_dir, keys.trust_cache)


def genuine_claims(issuer, db):
    code = add_enterprise(db)
    digits = issuer.issue(code, now=NOW).issue.qr_digits
    return digits, parse_payload(digits).claims


def resign(keys, claims: QrClaims, **changes) -> str:
    """The claims with `changes`, signed with this installation's own key (an insider's forgery)."""
    signer = keys.signer(today=date(2026, 11, 27))
    return sign_payload(replace(claims, **changes), signer.private_key)


# --- online: every claim against the archive ------------------------------------------------

TAMPERED = [
    ("uscc", "统一社会信用代码"),
    ("issued_on", "出具日期"),
    ("valid_until", "有效期"),
    ("domains", "核查领域"),
    ("period_from", "查询期间"),
    ("period_to", "查询期间"),
    ("violations", "违法记录数"),
    ("has_arrears", "欠缴情况"),
    ("content_digest", "报告内容摘要"),
]


def changed(c: QrClaims, field: str, other_uscc: str) -> dict:
    """Changes to the claims that touch `field` and stay within every rule of the format."""
    day = timedelta(days=1)
    return {
        "uscc": lambda: {"uscc": other_uscc},
        # both dates move: the validity stays 30 days, only the archive can tell
        "issued_on": lambda: {"issued_on": c.issued_on - day, "valid_until": c.valid_until - day},
        "valid_until": lambda: {"valid_until": c.valid_until - day},
        "domains": lambda: {"domains": c.domains[1:] if len(c.domains) > 1 else (c.domains[0] % 20 + 1,)},
        "period_from": lambda: {"period_from": c.period_from + day},
        "period_to": lambda: {"period_to": c.period_to - day},
        "violations": lambda: {"violations": c.violations + 1},
        "has_arrears": lambda: {"has_arrears": not c.has_arrears},
        "content_digest": lambda: {"content_digest": bytes(16)},
    }[field]()


@pytest.mark.parametrize(("field", "words"), TAMPERED)
def test_every_signed_claim_must_equal_the_archive(db, issuer, keys, field, words):
    digits, claims = genuine_claims(issuer, db)
    assert verify(db, keys, digits).status == "valid"
    other = add_enterprise(db, "苏州另一家有限公司")
    forged = resign(keys, claims, **changed(claims, field, other))
    verdict = verify(db, keys, forged)
    assert verdict.status == "forged", verdict.reason
    assert f"核验码中的{words}与档案不一致" in verdict.reason
    assert verdict.to_json()["online"] is True and verdict.offline is False


def test_a_number_not_in_the_archive_is_forged(db, issuer, keys):
    _, claims = genuine_claims(issuer, db)
    verdict = verify(db, keys, resign(keys, claims, report_no="SZ-2026-00009999"))
    assert verdict.status == "forged" and "档案中没有该报告" in verdict.reason


# --- dates: online and offline --------------------------------------------------------------

def test_future_issue_date_and_overlong_validity_are_forged_online_and_offline(db, issuer, keys):
    digits, claims = genuine_claims(issuer, db)
    future = resign(keys, claims, issued_on=TODAY + timedelta(days=1), valid_until=TODAY + timedelta(days=20))
    overlong = resign(keys, claims, valid_until=claims.issued_on + timedelta(days=31))
    for service_keys, service_db in ((keys, db), (offline(keys), None)):
        target = service_db or service_keys.db
        verdict = verify(target, service_keys, future)
        assert verdict.status == "forged" and "晚于今天" in verdict.reason, verdict.reason
        verdict = verify(target, service_keys, overlong)
        assert verdict.status == "forged" and "超过规定的 30 天" in verdict.reason, verdict.reason
    # the configured validity decides: a shorter one makes the genuine 30-day report suspect
    assert verify(db, keys, digits, validity_days=30).status == "valid"
    assert verify(db, keys, digits, validity_days=10).status == "forged"
    assert verify(db, keys, digits, validity_days=45).status == "valid"


def test_use_case_passes_the_configured_validity(db, profile, keys):
    issuer = make_desk(db, profile, keys)
    digits, _ = genuine_claims(issuer, db)
    assert issuer.desk.verify_anonymously(digits, today=TODAY).status == "valid"
    strict = make_desk(db, profile, keys)
    strict.desk.settings = replace(strict.desk.settings, validity_days=7)
    assert strict.desk.verify_anonymously(digits, today=TODAY).status == "forged"


# --- the trust-list cache ---------------------------------------------------------------------

def test_cache_is_owner_only_and_records_its_sync(db, issuer, keys):
    digits, _ = genuine_claims(issuer, db)
    before = datetime.now().replace(microsecond=0)
    verify(db, keys, digits)
    cache = keys.trust_cache
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.parent.stat().st_mode) == 0o700
    data = json.loads(cache.read_text(encoding="utf-8"))
    synced = datetime.fromisoformat(data["synced_at"])
    assert synced >= before and keys.cache_synced_at() == synced
    verdict = verify(offline(keys).db, offline(keys), digits)
    assert (verdict.status, verdict.offline, verdict.trust_list_synced_at) == ("valid", True, synced)
    answer = verdict.to_json()
    assert (answer["online"], answer["offline"]) == (False, True)
    assert answer["trust_list_synced_at"] == synced.isoformat(timespec="seconds")
    assert "未核对撤销状态" in verdict.reason


def test_an_old_cache_without_sync_time_still_reads(db, issuer, keys):
    digits, _ = genuine_claims(issuer, db)
    cache = keys.trust_cache
    data = json.loads(cache.read_text(encoding="utf-8"))
    data.pop("synced_at", None)
    cache.write_text(json.dumps(data), encoding="utf-8")
    away = offline(keys)
    assert away.cached_trust_list() and away.cache_synced_at() is None
    verdict = verify(away.db, away, digits)
    assert verdict.status == "valid" and verdict.to_json()["trust_list_synced_at"] is None


def test_a_key_added_to_the_cache_by_hand_is_dropped_when_the_database_is_back(db, issuer, keys):
    _, claims = genuine_claims(issuer, db)
    intruder = Ed25519PrivateKey.generate()
    intruder_id = key_id_for(intruder.public_key())
    cache = keys.trust_cache
    data = json.loads(cache.read_text(encoding="utf-8"))
    data["keys"].append({**data["keys"][0], "key_id": intruder_id,
                         "public_key": intruder.public_key().public_bytes_raw().hex()})
    cache.write_text(json.dumps(data), encoding="utf-8")
    forged = sign_payload(replace(claims, key_id=intruder_id), intruder)
    away = offline(keys)
    assert verify(away.db, away, forged).status == "valid"  # offline, the cache is all there is
    back = verify(db, keys, forged)
    assert back.status == "forged" and back.dropped_keys == (intruder_id,)
    assert back.to_json()["dropped_keys"] == [intruder_id]
    assert intruder_id not in cache.read_text(encoding="utf-8")
    assert verify(away.db, away, forged).status == "forged"  # gone from the cache for good
    assert verify(db, keys, forged).dropped_keys == ()


# --- files (part 7) ----------------------------------------------------------------------------

def test_embedded_database_file_and_folder_are_owner_only(tmp_path, monkeypatch):
    from core.db import schema

    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    monkeypatch.setenv("CREDITDESK_HOME", str(folder))  # the program's own data directory
    database = Database(f"sqlite:///{folder / 'creditdesk.sqlite3'}")
    try:
        with getattr(database, "creating", nullcontext)():  # only init may create the file
            schema.upgrade(database)
        add_enterprise(database)
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        for part in folder.glob("creditdesk.sqlite3*"):
            assert stat.S_IMODE(part.stat().st_mode) == 0o600, part
        assert (folder / "creditdesk.sqlite3").exists()
    finally:
        database.dispose()


@pytest.mark.parametrize("mode", [0o1777, 0o755])
def test_a_folder_the_database_is_merely_put_in_is_left_as_it_is(tmp_path, monkeypatch, mode):
    """A database in /tmp, /dev/shm or a shared folder: the files are made private, the folder
    (which other programs use) is never changed."""
    from core.db import schema

    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, mode)
    monkeypatch.setenv("CREDITDESK_HOME", str(tmp_path / "home"))
    database = Database(f"sqlite:///{shared / 'creditdesk.sqlite3'}")
    try:
        with getattr(database, "creating", nullcontext)():
            schema.upgrade(database)
        add_enterprise(database)
        assert stat.S_IMODE(shared.stat().st_mode) == mode
        assert stat.S_IMODE((shared / "creditdesk.sqlite3").stat().st_mode) == 0o600
    finally:
        database.dispose()


def test_keys_cannot_be_created_already_expired(db, tmp_path):
    service = KeyService(db, tmp_path / "k", tmp_path / "t.json")
    with pytest.raises(InvalidRequest, match="有效期不能早于今天"):
        service.create(user="admin", valid_until=date(2020, 1, 1))
    assert service.trust_list() == [] and not any((tmp_path / "k").glob("*.pem"))
    key = service.create(user="admin", valid_until=date.today())
    assert key.valid_until == date.today()


def test_remove_private_only_for_a_retired_key(db, keys):
    (key,) = keys.trust_list()
    with pytest.raises(InvalidRequest, match="尚未停用"):
        keys.remove_private(key.key_id)
    keys.retire(key.key_id, user="admin")
    assert keys.remove_private(key.key_id) is True
    assert not keys.private_path(key.key_id).exists()
    assert keys.remove_private(key.key_id) is False
    assert keys.get(key.key_id).retired_at is not None  # the public half stays on the trust list
