"""Signing keys: the trust list of public keys in the database, private keys in owner-only files.

A counter signs with the newest active key whose private file it holds. Retiring a key stops
new signatures; reports it signed before stay verifiable until they expire. The trust list is
also cached in a file so a verifier can check signatures while the database is unreachable:
the cache is owner-only (0600 in a 0700 folder), records when it was last synced with the
database, and each sync drops the keys the database does not list (reported to the caller).
"""
from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select

from core.db.engine import Database
from core.db.models_reports import SigningKey
from core.errors import CreditDeskError, InvalidRequest, NotFound
from core.services.people import audit_chain
from core.services.signing.payload import key_id_for
from core.states import AuditAction, KeyStatus

PASSPHRASE_ENV = "CREDITDESK_KEY_PASSPHRASE"


@dataclass(frozen=True)
class TrustedKey:
    key_id: str
    public_key: str  # hex of the raw 32 bytes
    valid_from: date
    valid_until: date | None
    retired_at: datetime | None
    label: str | None = None

    def public(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(bytes.fromhex(self.public_key))

    def covers(self, issued_on: date) -> bool:
        """Whether a report issued on that day may carry this key's signature."""
        last = self.retired_at.date() if self.retired_at else self.valid_until
        return self.valid_from <= issued_on and (last is None or issued_on <= last)

    @property
    def status(self) -> str:
        return KeyStatus.RETIRED if self.retired_at else KeyStatus.ACTIVE

    def to_json(self) -> dict:
        return {
            "key_id": self.key_id, "public_key": self.public_key, "label": self.label,
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "retired_at": self.retired_at.isoformat(timespec="seconds") if self.retired_at else None,
        }

    @classmethod
    def from_json(cls, d: dict) -> "TrustedKey":
        return cls(
            key_id=d["key_id"], public_key=d["public_key"], label=d.get("label"),
            valid_from=date.fromisoformat(d["valid_from"]),
            valid_until=date.fromisoformat(d["valid_until"]) if d.get("valid_until") else None,
            retired_at=datetime.fromisoformat(d["retired_at"]) if d.get("retired_at") else None,
        )


@dataclass(frozen=True)
class Signer:
    key_id: str
    private_key: Ed25519PrivateKey


def _trusted(row) -> TrustedKey:
    return TrustedKey(row.key_id, row.public_key, row.valid_from, row.valid_until, row.retired_at, row.label)


_TRUST_COLUMNS = select(SigningKey.key_id, SigningKey.public_key, SigningKey.valid_from, SigningKey.valid_until,
                       SigningKey.retired_at, SigningKey.label).order_by(SigningKey.created_at)


def trust_list_in(conn) -> list[TrustedKey]:
    """The database's trust list read in an open unit of work (an ORM Session or a Core
    Connection): the web page reads it in its check's own transaction, never on a second
    connection (a check holding one connection and waiting for another could exhaust the pool)."""
    return [_trusted(r) for r in conn.execute(_TRUST_COLUMNS)]


class KeyService:
    def __init__(self, db: Database, key_dir: Path, trust_cache: Path):
        self.db = db
        self.key_dir = Path(key_dir)
        self.trust_cache = Path(trust_cache)

    # -- administration ------------------------------------------------------------------

    def create(self, *, user: str, label: str | None = None, passphrase: str | None = None,
               valid_until: date | None = None, today: date | None = None,
               counter: str = "") -> TrustedKey:
        """A new key pair: the private half in an owner-only file, the public half on the trust
        list, its audit event in the same unit of work."""
        if label and len(label) > 120:
            raise InvalidRequest("密钥说明不能超过 120 个字符")
        if valid_until is not None and valid_until < (today or date.today()):
            raise InvalidRequest(f"有效期不能早于今天（{valid_until} 已过）")
        private = Ed25519PrivateKey.generate()
        raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        key_id = key_id_for(private.public_key())
        path = self.private_path(key_id)
        self._write_private(path, private, passphrase)
        try:
            with self.db.session(write=True) as s:
                s.add(SigningKey(
                    key_id=key_id, public_key=raw.hex(), label=label, created_by=user,
                    created_at=datetime.now(), valid_from=today or date.today(), valid_until=valid_until,
                ))
                audit_chain.append(s, actor=user, counter=counter, action=AuditAction.KEY_CREATE,
                                   subject=key_id, details={"public_key": raw.hex(), "label": label})
        except BaseException:
            path.unlink(missing_ok=True)  # a key nobody trusts must not sign
            raise
        self.refresh_cache()
        return self.get(key_id)

    def retire(self, key_id: str, *, user: str, counter: str = "") -> TrustedKey:
        with self.db.session(write=True) as s:
            row = s.get(SigningKey, key_id)
            if row is None:
                raise NotFound(f"信任列表中没有密钥 {key_id}")
            if row.retired_at is None:
                row.retired_at, row.retired_by = datetime.now().replace(microsecond=0), user
                audit_chain.append(s, actor=user, counter=counter, action=AuditAction.KEY_RETIRE,
                                   subject=key_id, details={})
        self.refresh_cache()
        return self.get(key_id)

    def remove_private(self, key_id: str) -> bool:
        """Delete this machine's private file of a retired key; False when there was none."""
        if self.get(key_id).retired_at is None:
            raise InvalidRequest(f"密钥 {key_id} 尚未停用，不能删除其私钥文件")
        path = self.private_path(key_id)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        return True

    def get(self, key_id: str) -> TrustedKey:
        with self.db.session() as s:
            row = s.get(SigningKey, key_id)
            if row is None:
                raise NotFound(f"信任列表中没有密钥 {key_id}")
            return _trusted(row)

    def trust_list(self) -> list[TrustedKey]:
        with self.db.session() as s:
            return trust_list_in(s)

    def export_public(self) -> dict:
        return {"format": "creditdesk-trust-list/1", "keys": [k.to_json() for k in self.trust_list()]}

    # -- the trust list cache, for verifying without the database -------------------------

    def refresh_cache(self, keys: list[TrustedKey] | None = None) -> tuple[str, ...]:
        """Rewrite the cache from the database's trust list (owner-only, with the sync time).

        Returns the ids of cached keys the database does not list (or lists with another public
        key): they are gone from the cache now, and the caller says so."""
        keys = keys if keys is not None else self.trust_list()
        listed = {k.key_id: k.public_key for k in keys}
        dropped = tuple(sorted(
            k.key_id for k in (self.cached_trust_list() or []) if listed.get(k.key_id) != k.public_key))
        data = {"format": "creditdesk-trust-list/1",
                "synced_at": datetime.now().isoformat(timespec="seconds"),
                "keys": [k.to_json() for k in keys]}
        text = json.dumps(data, ensure_ascii=False, indent=1)
        _private_folder(self.trust_cache.parent)
        tmp = self.trust_cache.with_name(self.trust_cache.name + ".tmp")
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        tmp.replace(self.trust_cache)
        return dropped

    def _cache_data(self) -> dict | None:
        try:
            data = json.loads(self.trust_cache.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def cached_trust_list(self) -> list[TrustedKey] | None:
        data = self._cache_data()
        try:
            return [TrustedKey.from_json(k) for k in data["keys"]]
        except (ValueError, KeyError, TypeError):
            return None

    def cache_synced_at(self) -> datetime | None:
        """When the cache was last written from the database (None: an older cache without it)."""
        data = self._cache_data() or {}
        try:
            return datetime.fromisoformat(data["synced_at"])
        except (KeyError, TypeError, ValueError):
            return None

    # -- signing -----------------------------------------------------------------------------

    def private_path(self, key_id: str) -> Path:
        return self.key_dir / f"{key_id}.pem"

    def signer(self, passphrase: str | None = None, today: date | None = None) -> Signer:
        """The newest trusted, active key this machine holds the private half of."""
        today = today or date.today()
        passphrase = passphrase if passphrase is not None else os.environ.get(PASSPHRASE_ENV)
        for key in reversed(self.trust_list()):
            if key.retired_at or not key.covers(today) or not self.private_path(key.key_id).exists():
                continue
            return Signer(key.key_id, self._read_private(key.key_id, passphrase))
        raise CreditDeskError("本机没有可用的签名密钥，请先运行：creditdesk-admin keys init")

    def _read_private(self, key_id: str, passphrase: str | None) -> Ed25519PrivateKey:
        data = self.private_path(key_id).read_bytes()
        encrypted = b"ENCRYPTED" in data.split(b"\n", 1)[0]
        try:
            key = serialization.load_pem_private_key(
                data, password=passphrase.encode() if passphrase and encrypted else None
            )
        except TypeError:
            raise CreditDeskError(
                f"签名密钥 {key_id} 受口令保护，请通过环境变量 {PASSPHRASE_ENV} 提供口令"
            ) from None
        except ValueError:
            raise CreditDeskError(f"无法读取签名密钥 {key_id}：口令错误或文件已损坏") from None
        if not isinstance(key, Ed25519PrivateKey) or key_id_for(key.public_key()) != key_id:
            raise CreditDeskError(f"签名密钥文件 {self.private_path(key_id)} 与信任列表不符")
        return key

    def _write_private(self, path: Path, key: Ed25519PrivateKey, passphrase: str | None) -> None:
        if passphrase is not None and len(passphrase) < 8:
            raise InvalidRequest("密钥口令至少 8 个字符")
        _private_folder(path.parent)
        encryption = (
            serialization.BestAvailableEncryption(passphrase.encode())
            if passphrase else serialization.NoEncryption()
        )
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)


def _private_folder(folder: Path) -> None:
    """Create `folder` owner-only (0700), or make it so when it exists and is ours."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    st = folder.stat()
    # a shared folder (sticky, like /tmp) is never locked up: other programs use it
    if hasattr(os, "getuid") and st.st_uid == os.getuid() and not st.st_mode & stat.S_ISVTX:
        os.chmod(folder, 0o700)
