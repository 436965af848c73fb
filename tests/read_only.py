"""Make a file read-only for the user running the tests, root included.

A mode of 0400 does not stop root, and the suite runs as root in CI; the immutable flag
(`chattr +i`, ext4 and most Linux file systems) stops root as well, and `os.access` reports it.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def read_only(path: Path):
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        chattr = shutil.which("chattr")
        assert chattr, "chattr (e2fsprogs) is needed to make a file read-only for root"
        subprocess.run([chattr, "+i", str(path)], check=True)
        try:
            assert not os.access(path, os.W_OK), f"{path}: the file system ignores the immutable flag"
            yield path
        finally:
            subprocess.run([chattr, "-i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(0o400)
        try:
            yield path
        finally:
            path.chmod(mode)
