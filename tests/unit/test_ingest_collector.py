"""The garbage collector's thresholds are raised only while an import runs, and always come back."""
from __future__ import annotations

import gc
import threading

import pytest

from core.services.records.ingest.collector import THRESHOLD, fewer_collections


@pytest.fixture(autouse=True)
def default_thresholds():
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*before)


def test_raised_inside_and_restored_after():
    with fewer_collections():
        assert gc.get_threshold() == (THRESHOLD, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


def test_restored_after_an_error():
    with pytest.raises(ValueError), fewer_collections():
        raise ValueError("a file that fails")
    assert gc.get_threshold() == (700, 10, 10)


def test_overlapping_imports_restore_once_the_last_one_ends():
    inside, release = threading.Event(), threading.Event()

    def other_import():
        with fewer_collections():
            inside.set()
            release.wait(5)

    worker = threading.Thread(target=other_import)
    with fewer_collections():
        worker.start()
        inside.wait(5)
    assert gc.get_threshold()[0] == THRESHOLD  # the other import still runs
    release.set()
    worker.join(5)
    assert gc.get_threshold() == (700, 10, 10)


def test_a_switched_off_or_higher_setting_is_left_alone():
    gc.set_threshold(0)
    with fewer_collections():
        assert gc.get_threshold()[0] == 0
    gc.set_threshold(10 * THRESHOLD, 10, 10)
    with fewer_collections():
        assert gc.get_threshold()[0] == 10 * THRESHOLD
    assert gc.get_threshold()[0] == 10 * THRESHOLD
