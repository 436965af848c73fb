"""Passwords are stored as argon2id with RFC 9106's parameters (the tests use cheaper ones: see
tests/conftest.py; this checks what the program itself uses)."""
from __future__ import annotations

import subprocess
import sys


def test_the_program_hashes_with_strong_argon2id_parameters():
    from core.services.people.users import HASH_PARAMETERS

    assert HASH_PARAMETERS["time_cost"] >= 3 and HASH_PARAMETERS["memory_cost"] >= 64 * 1024
    # a fresh interpreter, as the program runs: the stored hash names argon2id and those costs
    code = ("from core.services.people import users; h = users._hasher.hash('口令'); "
            "print(h.split('$')[1], h.split('$')[3])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["argon2id", "m=65536,t=3,p=4"]
