"""One table turns any error into one sentence; the unexpected ones are logged without secrets."""
from __future__ import annotations

import pytest

from core.errors import (
    EXIT_INTERNAL, EXIT_REFUSED, CreditDeskError, PermissionDenied, explain, scrub,
)
from core.policy import PolicyError
from core.services.records.ingest.readers import UnreadableFile
from core.services.signing.payload import MalformedPayload
from core.uscc import InvalidUscc

HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g"
PAYLOAD = "3205" + "1234567890" * 28


@pytest.mark.parametrize("exc", [
    PermissionDenied("您的角色（核验人员）无权出具报告，需要窗口人员或主管角色"),
    InvalidUscc("第 18 位校验码应为 X", 18, "X"), UnreadableFile("缺少必需的列：处罚机关"),
    PolicyError("未找到政策配置“x”"), MalformedPayload("不是本系统的核验码"),
])
def test_every_error_a_person_meets_is_one_family(exc):
    assert isinstance(exc, CreditDeskError)
    explained = explain(exc)
    assert explained.message == str(exc) and explained.exit_code == EXIT_REFUSED


def test_an_unexpected_error_shows_a_reference_and_logs_no_secret(tmp_path):
    try:
        raise RuntimeError(f"INSERT failed for users (hash {HASH}) payload {PAYLOAD}")
    except RuntimeError as exc:
        explained = explain(exc, log_dir=tmp_path)
    assert explained.exit_code == EXIT_INTERNAL
    assert explained.reference and explained.reference in explained.message
    assert HASH not in explained.message and "argon2" not in explained.message
    log = (tmp_path / "errors.log").read_text(encoding="utf-8")
    assert explained.reference in log and "RuntimeError" in log and "Traceback" in log
    assert "argon2" not in log and PAYLOAD not in log


def test_scrub_removes_keys_hashes_and_payloads():
    pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIE\n-----END PRIVATE KEY-----"
    text = scrub(f"a {HASH} b {pem} c {PAYLOAD} d {'ab' * 40}")
    assert "argon2" not in text and "PRIVATE KEY" not in text and PAYLOAD not in text
    assert text.startswith("a ") and " d " in text
