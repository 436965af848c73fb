"""`verify` tells a full check from a signature-only one (issue 8, parts 6 and 7), and the files.

Exit 0 only for a report checked against the archive; 3 for a valid signature while the
database is unreachable (`"online": false` with the cache's sync time); 1 otherwise. A key added
to the trust-list cache by hand is dropped, with a line on stderr, once the database is back.
Keys cannot be created already expired; retiring deletes the private file only when told to.
"""
from __future__ import annotations

import json
import stat
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.services.signing.payload import key_id_for, parse_payload, sign_payload
from tests.e2e.conftest import Cli
from tests.e2e.test_cli_reports import ANY_USCC, assert_one_line_error, init_key, issue, run, write_csv

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/none"


def issued_code(cli: Cli, tmp_path: Path) -> str:
    enterprises = [["统一社会信用代码", "企业名称"], [ANY_USCC, "苏州恒达精密机械有限公司"]]
    cli.admin.ok("import", "enterprises", write_csv(tmp_path / "e.csv", enterprises))
    init_key(cli)
    return issue(cli, tmp_path / "r.pdf", ANY_USCC)["qr_payload"]


def test_offline_valid_exits_3_and_says_so(cli, home, tmp_path):
    digits = issued_code(cli, tmp_path)
    before = datetime.now().replace(microsecond=0)
    online = run(cli, "verify", digits, "--json")
    assert online.code == 0, online.err
    answer = json.loads(online.out)
    assert (answer["status"], answer["online"], answer["offline"]) == ("valid", True, False)
    assert "trust_list_synced_at" not in answer

    cache = home / "trust-list.json"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    synced = json.loads(cache.read_text(encoding="utf-8"))["synced_at"]
    assert datetime.fromisoformat(synced) >= before

    offline = Cli(home, ["--db", UNREACHABLE])  # same home: the trust-list cache is there
    away = run(offline, "verify", digits, "--json")
    assert away.code == 3, away.err
    answer = json.loads(away.out)
    assert (answer["status"], answer["online"], answer["offline"]) == ("valid", False, True)
    assert answer["trust_list_synced_at"] == synced
    plain = run(offline, "verify", digits)
    assert plain.code == 3 and "未核对撤销状态" in plain.out and synced[:10] in plain.out

    forged = run(offline, "verify", digits[:-3] + str((int(digits[-3]) + 1) % 10) + digits[-2:], "--json")
    assert forged.code == 1


def test_a_key_added_to_the_cache_by_hand_is_dropped_and_reported(cli, home, tmp_path):
    digits = issued_code(cli, tmp_path)
    assert run(cli, "verify", digits).code == 0
    intruder = Ed25519PrivateKey.generate()
    intruder_id = key_id_for(intruder.public_key())
    cache = home / "trust-list.json"
    data = json.loads(cache.read_text(encoding="utf-8"))
    data["keys"].append({**data["keys"][0], "key_id": intruder_id,
                         "public_key": intruder.public_key().public_bytes_raw().hex()})
    cache.write_text(json.dumps(data), encoding="utf-8")
    claims = parse_payload(digits).claims
    forged = sign_payload(replace(claims, key_id=intruder_id), intruder)

    assert run(Cli(home, ["--db", UNREACHABLE]), "verify", forged).code == 3  # the cache is all there is
    back = run(cli, "verify", forged, "--json")
    assert back.code == 1 and json.loads(back.out)["status"] == "forged"
    assert f"本机信任列表缓存中的密钥 {intruder_id} 不在数据库的信任列表中，已删除" in back.err
    assert intruder_id not in cache.read_text(encoding="utf-8")
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600


def test_keys_cannot_be_created_expired_and_retire_deletes_only_when_told(cli, home):
    past = run(cli.admin, "keys", "init", "--valid-until", (date.today() - timedelta(days=1)).isoformat())
    assert_one_line_error(past)
    assert "有效期不能早于今天" in past.err
    assert cli.admin.ok("keys", "list", "--json").json() == []

    kept, removed = init_key(cli), init_key(cli)
    no_terminal = cli.admin.ok("keys", "retire", kept)  # stdin is not a terminal, no --yes
    assert "私钥文件仍在" in no_terminal.err and "--yes" in no_terminal.err
    assert (home / "keys" / f"{kept}.pem").is_file()

    told = cli.admin.ok("keys", "retire", removed, "--yes")
    assert not (home / "keys" / f"{removed}.pem").exists()
    assert "已删除" in told.out
    listed = {k["key_id"]: k for k in cli.admin.ok("keys", "list", "--json").json()}
    assert listed[removed]["status"] == "retired" and listed[removed]["private_key_here"] is False


@pytest.mark.parametrize("cli", ["embedded"], indirect=True)  # PostgreSQL keeps no file of ours
def test_embedded_database_and_data_directory_are_owner_only(cli, home):
    cli.admin.ok("keys", "list")
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    parts = list(home.glob("creditdesk.sqlite3*"))
    assert parts
    for part in parts:
        assert stat.S_IMODE(part.stat().st_mode) == 0o600, part
