"""The task helper: queries and writes, stale answers, busy state, announcements, errors.

Every wait here is on an event the code under test produces; nothing relies on a sleep.
"""
from __future__ import annotations

import functools
import threading

import pytest
from PySide6.QtCore import QObject
from shiboken6 import delete

from core.errors import NotFound
from desktop.services.events import AppEvents
from desktop.services.tasks import TaskRunner

WAIT = 10_000
BLOCK = 10  # seconds a worker waits for the test's go-ahead before giving up (a failing test)


def writing(changes: str | None = None):
    """Mark a function as core's use_case decorator does."""
    def mark(fn):
        fn.writes, fn.changes = True, changes
        return fn
    return mark


def reading(fn):
    fn.writes, fn.changes = False, None
    return fn


@pytest.fixture
def tasks(qtbot):
    runner = TaskRunner(AppEvents())
    yield runner
    assert runner.wait(), "a task was still running when the test ended"


def settle(qtbot, tasks: TaskRunner) -> None:
    """Until every task has answered (or been dropped) on the GUI thread."""
    qtbot.waitUntil(lambda: not tasks.busy, timeout=WAIT)


# -- the kind decides the pool ------------------------------------------------------------------

def test_query_refuses_a_callable_that_writes(tasks):
    ran = []

    class Desk:
        @writing("report")
        def issue(self, request):
            ran.append(request)

    @writing()
    def overview(uscc):
        ran.append(uscc)

    for fn in (Desk().issue, overview, functools.partial(overview, "91320500")):
        with pytest.raises(TypeError, match="TaskRunner.write"):
            tasks.query(fn, "x")
    assert ran == [] and not tasks.busy  # refused before anything started


def test_write_refuses_a_callable_that_only_reads(tasks):
    with pytest.raises(TypeError, match="TaskRunner.query"):
        tasks.write(reading(lambda: None))
    with pytest.raises(TypeError, match="changes 'report'"):
        tasks.write(writing("report")(lambda: None), changes="verification")
    assert not tasks.busy


def test_undeclared_callables_go_where_the_caller_says(qtbot, tasks):
    got = []
    tasks.query(lambda: "read", on_done=got.append)
    tasks.write(lambda: "written", on_done=got.append)
    settle(qtbot, tasks)
    assert sorted(got) == ["read", "written"]


def test_writes_never_overlap_and_run_on_one_thread(qtbot, tasks):
    lock, active, most, threads, order = threading.Lock(), [0], [0], [], []
    first_in, second_in = threading.Event(), threading.Event()

    def job(name: str, entered: threading.Event, wait_for: threading.Event | None):
        with lock:
            active[0] += 1
            most[0] = max(most[0], active[0])
            threads.append(threading.get_ident())
            order.append(name)
        entered.set()
        # The first write holds the writer until the second has started — which it must not
        # while the first runs: on a one-thread pool this wait runs out; on a parallel pool the
        # second would start at once and the overlap would be counted.
        if wait_for is not None:
            wait_for.wait(timeout=0.5)
        with lock:
            active[0] -= 1
        return name

    got = []
    tasks.write(job, "first", first_in, second_in, on_done=got.append)
    assert first_in.wait(BLOCK)
    tasks.write(job, "second", second_in, None, on_done=got.append)
    qtbot.waitUntil(lambda: got == ["first", "second"], timeout=WAIT)
    assert most[0] == 1 and order == ["first", "second"]
    assert len(set(threads)) == 1 and threads[0] != threading.get_ident()


def test_queries_run_side_by_side(qtbot, tasks):
    first_in, second_in = threading.Event(), threading.Event()

    def first():
        first_in.set()
        return second_in.wait(BLOCK)  # True only if the second ran while this one waited

    def second():
        assert first_in.wait(BLOCK)
        second_in.set()
        return True

    got = []
    tasks.query(first, on_done=got.append)
    tasks.query(second, on_done=got.append)
    qtbot.waitUntil(lambda: len(got) == 2, timeout=WAIT)
    assert got == [True, True]


def test_answers_arrive_on_the_gui_thread(qtbot, tasks):
    seen = []
    tasks.query(threading.get_ident, on_done=lambda worker: seen.append((worker, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT)
    (worker, receiver), = seen
    assert worker != receiver == threading.get_ident()


# -- stale answers ------------------------------------------------------------------------------

def test_a_newer_task_in_the_lane_drops_the_older_answer(qtbot, tasks):
    release_a = threading.Event()
    answers, errors = [], []

    def slow_a():
        assert release_a.wait(BLOCK)
        return "A"

    lane = ("page", "search")
    tasks.query(slow_a, lane=lane, on_done=answers.append, on_error=errors.append)
    assert tasks.is_running(lane)
    tasks.query(lambda: "B", lane=lane, on_done=answers.append, on_error=errors.append)
    qtbot.waitUntil(lambda: answers == ["B"], timeout=WAIT)
    assert not tasks.is_running(lane)  # the lane's latest task answered
    assert tasks.busy  # A is still working, its answer no longer wanted

    release_a.set()
    settle(qtbot, tasks)  # A has finished and its answer reached the GUI thread
    assert answers == ["B"] and errors == []


def test_a_stale_error_is_dropped_too(qtbot, tasks):
    release = threading.Event()
    answers, errors, unhandled = [], [], []
    tasks.failed.connect(unhandled.append)

    def failing():
        assert release.wait(BLOCK)
        raise NotFound("未找到该企业")

    tasks.query(failing, lane="lane", on_done=answers.append, on_error=errors.append)
    tasks.query(lambda: "newer", lane="lane", on_done=answers.append, on_error=errors.append)
    qtbot.waitUntil(lambda: answers == ["newer"], timeout=WAIT)
    release.set()
    settle(qtbot, tasks)
    assert errors == [] and unhandled == []


def test_drop_makes_the_running_task_stale(qtbot, tasks):
    release = threading.Event()
    answers = []
    tasks.query(lambda: release.wait(BLOCK), lane="report", on_done=answers.append)
    tasks.drop("report")
    assert not tasks.is_running("report") and tasks.busy
    release.set()
    settle(qtbot, tasks)
    assert answers == []


def test_a_deleted_owner_gets_no_answer(qtbot, tasks):
    release = threading.Event()
    page = QObject()
    answers = []
    tasks.query(lambda: release.wait(BLOCK), lane=(page, "load"), on_done=answers.append)
    delete(page)  # the page closed while its task ran
    release.set()
    settle(qtbot, tasks)
    assert answers == []


def test_a_stale_write_that_failed_is_still_reported(qtbot, tasks):
    release = threading.Event()
    messages, answers = [], []
    tasks.error_message.connect(messages.append)

    def print_job():
        assert release.wait(BLOCK)
        raise OSError(28, "设备上没有空间")

    tasks.write(print_job, lane="report", on_done=answers.append, on_message=answers.append)
    tasks.drop("report")  # the clerk moved on to another enterprise
    release.set()
    settle(qtbot, tasks)
    assert answers == [] and messages == ["文件操作失败：设备上没有空间"]


# -- announcements --------------------------------------------------------------------------------

def test_a_write_announces_what_it_changed_before_its_answer(qtbot, tasks):
    seen = []
    tasks.events.data_changed.connect(lambda kind, key: seen.append(("changed", kind, key)))

    class Desk:
        @writing("report")
        def issue(self, request):
            return {"report_no": f"苏信报〔2025〕{request}号"}

    with qtbot.waitSignal(tasks.events.data_changed, timeout=WAIT) as announced:
        tasks.write(Desk().issue, "0001", key=lambda result: result["report_no"],
                    on_done=lambda result: seen.append(("done", result["report_no"])))
    assert announced.args == ["report", "苏信报〔2025〕0001号"]
    settle(qtbot, tasks)
    assert seen == [("changed", "report", "苏信报〔2025〕0001号"), ("done", "苏信报〔2025〕0001号")]


def test_a_closure_names_its_change_and_key(qtbot, tasks):
    with qtbot.waitSignal(tasks.events.data_changed, timeout=WAIT) as announced:
        tasks.write(lambda: (2, 1), changes="report", key="R-7")
    assert announced.args == ["report", "R-7"]


def test_no_announcement_without_a_change_or_after_a_failure(qtbot, tasks):
    seen = []
    tasks.events.data_changed.connect(lambda *args: seen.append(args))

    @writing("report")
    def revoke(no):
        raise NotFound(f"没有编号为 {no} 的报告")

    tasks.write(writing()(lambda: None))  # a write that changes nothing a page shows (a look-up)
    tasks.write(revoke, "R-1", key="R-1", on_message=lambda _: None)
    tasks.query(lambda: None)
    settle(qtbot, tasks)
    assert seen == []


def test_a_stale_write_still_announces(qtbot, tasks):
    release = threading.Event()
    answers = []

    def print_job():
        assert release.wait(BLOCK)
        return 1

    tasks.write(print_job, lane="report", changes="report", key="R-9", on_done=answers.append)
    tasks.drop("report")
    with qtbot.waitSignal(tasks.events.data_changed, timeout=WAIT) as announced:
        release.set()
    assert announced.args == ["report", "R-9"]
    settle(qtbot, tasks)
    assert answers == []  # the data changed, but nobody waits for this answer any more


# -- errors -------------------------------------------------------------------------------------

def test_an_error_nobody_takes_becomes_one_chinese_sentence(qtbot, tasks):
    failed, messages = [], []
    tasks.failed.connect(failed.append)
    tasks.error_message.connect(messages.append)

    def broken():
        raise KeyError("uscc")

    with qtbot.waitSignal(tasks.error_message, timeout=WAIT):
        tasks.query(broken)
    (message,) = messages  # one sentence, explained once (core logs it under one reference)
    assert message.startswith("发生意外错误") and "请联系管理员" in message
    assert "Traceback" not in message and "uscc" not in message
    assert isinstance(failed[0], KeyError) and "Traceback" in failed[0].__traceback_text__


def test_on_message_gets_the_sentence_not_the_exception(qtbot, tasks):
    said, unhandled = [], []
    tasks.failed.connect(unhandled.append)

    def lookup():
        raise NotFound("未找到统一社会信用代码为 91320500MA1XXXXXX 的企业")

    tasks.query(lookup, on_message=said.append)
    qtbot.waitUntil(lambda: bool(said), timeout=WAIT)
    assert said == ["未找到统一社会信用代码为 91320500MA1XXXXXX 的企业"] and unhandled == []
    with pytest.raises(TypeError):
        tasks.query(lookup, on_error=print, on_message=print)


# -- busy ---------------------------------------------------------------------------------------

def test_busy_goes_on_once_and_off_once(qtbot, tasks):
    states = []
    tasks.busy_changed.connect(states.append)
    release = threading.Event()
    tasks.query(lambda: release.wait(BLOCK))
    tasks.write(lambda: None)
    assert states == [True] and tasks.busy
    release.set()
    qtbot.waitUntil(lambda: states == [True, False], timeout=WAIT)
    assert not tasks.busy


def test_a_follow_up_started_from_on_done_keeps_busy_on(qtbot, tasks):
    states, got = [], []
    tasks.busy_changed.connect(states.append)

    def then_verify(digits: str) -> None:
        assert not tasks.is_running("verify")  # already answered when on_done runs
        tasks.query(lambda: f"verdict for {digits}", lane="verify", on_done=got.append)

    tasks.query(lambda: "123", lane="verify", on_done=then_verify)
    qtbot.waitUntil(lambda: bool(got), timeout=WAIT)
    settle(qtbot, tasks)
    assert got == ["verdict for 123"] and states == [True, False]
