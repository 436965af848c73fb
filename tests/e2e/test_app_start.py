"""The app's own entry point, started as a user (or the packaged build) would."""
from __future__ import annotations

import os
import subprocess
import sys


def run_self_test(tmp_path, **env):
    full = {**os.environ, "CREDITDESK_HOME": str(tmp_path / "home"), "QT_QPA_PLATFORM": "offscreen",
            "XDG_CONFIG_HOME": str(tmp_path / "config"), **env}
    full.pop("CREDITDESK_DB", None) if "CREDITDESK_DB" not in env else None
    return subprocess.run([sys.executable, "-m", "desktop", "--self-test"], env=full, capture_output=True,
                          text=True, timeout=180)


def test_self_test_passes_on_a_fresh_machine(tmp_path):
    run = run_self_test(tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert [line[0] for line in lines[:-1]] == ["✓"] * 5
    assert "报告二维码可以识别并核验为有效" in run.stdout and "主窗口可以创建" in run.stdout
    assert lines[-1] == "自检通过"
    assert "Traceback" not in run.stderr


def test_self_test_names_what_failed(tmp_path):
    run = run_self_test(tmp_path, CREDITDESK_DB="postgresql+psycopg://postgres:geheim@127.0.0.1:1/none")
    assert run.returncode == 1
    # The person reads which database (its address, never its password) and why, in Chinese.
    failed = next(line for line in run.stdout.splitlines() if line.startswith("✗"))
    assert failed.startswith("✗ 配置的数据库可以连接：数据库不可用：连接被拒绝（数据库服务器未运行或地址有误）"), failed
    assert "postgresql+psycopg://postgres:***@127.0.0.1:1/none" in failed, failed
    assert "geheim" not in run.stdout and "refused" not in run.stdout.lower()
    assert run.stdout.splitlines()[-1] == "自检失败：配置的数据库可以连接"
    assert "Traceback" not in run.stderr
