"""The plugin that hands real pytest's reports to fastest, for
``--pytest-from-env`` (``env_pytest.py``), as pytest-xdist's worker plugin
hands them to its controller."""

from __future__ import annotations

import os
import random
import time
from typing import Any

from . import sigint
from .env_pytest_reports import collect_error, collect_skip, phase_report, warning_record

_perf_counter = time.perf_counter


def _without_handler(tb: Any) -> Any:
    """The traceback up to where the interrupt found the test, without the
    harness's SIGINT handler frame (pytest would show it as the failing line)."""
    handler_file = sigint.__file__
    entry = tb
    while entry is not None and entry.tb_next is not None:
        if entry.tb_next.tb_frame.f_code.co_filename == handler_file:
            entry.tb_next = None
            break
        entry = entry.tb_next
    return tb


def bridge_plugin(state: Any, pytest: Any) -> Any:
    """The plugin that hands pytest's reports to fastest (pytest-xdist's worker plugin does the same)."""

    class FastestBridge:
        @pytest.hookimpl(tryfirst=True)
        def pytest_collectstart(self, collector: Any) -> None:
            if state.collecting is not None:
                state.collecting["started"][collector.nodeid] = _perf_counter()

        def pytest_collectreport(self, report: Any) -> None:
            collecting = state.collecting
            if collecting is None:
                return
            started = collecting["started"].pop(report.nodeid, None)
            path = str(getattr(report, "fspath", "") or "")
            absolute = os.path.join(state.rootdir, path) if path else ""
            if started is not None and absolute in collecting["paths"]:
                collecting["durations"][absolute] = _perf_counter() - started
            if report.failed:
                collecting["errors"].append(collect_error(report))
            elif report.skipped and isinstance(report.longrepr, tuple):
                collecting["skipped"].append(collect_skip(report, state.rootdir))

        def pytest_runtest_logstart(self, nodeid: str, location: Any) -> None:
            state.send({"type": "itemStart", "nodeid": nodeid, "location": list(location)})

        def pytest_runtest_logreport(self, report: Any) -> None:
            state.pending.append(phase_report(report, state.rootdir))
            if report.when == "teardown":
                state.pending_properties = [[str(k), str(v)] for k, v in report.user_properties]

        def pytest_runtest_logfinish(self, nodeid: str, location: Any) -> None:
            item = state.items.get(nodeid)
            if item is not None:
                state.flush_item(item)

        def pytest_warning_recorded(self, warning_message: Any, when: str, nodeid: str, location: Any) -> None:
            if when == "runtest":
                state.send({"type": "warning", "warning": warning_record(warning_message, nodeid)})
            elif when == "collect" and state.collecting is not None:
                state.collecting["warnings"].append(warning_record(warning_message, ""))

        # A timeout reaches Python as KeyboardInterrupt: pytest-timeout's failure, in the phase it stopped.
        @pytest.hookimpl(wrapper=True)
        def pytest_runtest_setup(self, item: Any) -> Any:
            # fastest's --seed: `random` starts from the run's seed in every test, as under fastest's own pytest.
            random.seed(state.raw.get("seed", 0))
            try:
                return (yield)
            except KeyboardInterrupt as interrupt:
                raise self._timeout(interrupt) from None

        @pytest.hookimpl(wrapper=True)
        def pytest_runtest_call(self, item: Any) -> Any:
            try:
                return (yield)
            except KeyboardInterrupt as interrupt:
                raise self._timeout(interrupt) from None

        @pytest.hookimpl(wrapper=True)
        def pytest_runtest_teardown(self, item: Any, nextitem: Any) -> Any:
            try:
                return (yield)
            except KeyboardInterrupt as interrupt:
                raise self._timeout(interrupt) from None

        def _timeout(self, interrupt: KeyboardInterrupt) -> BaseException:
            """pytest-timeout's failure, where the interrupt found the test; Ctrl-C stays an interrupt."""
            if not state.timed_out():
                return interrupt
            failure = pytest.fail.Exception(f"Timeout (>{state.timeout}s) from pytest-timeout.")
            failure.__traceback__ = _without_handler(interrupt.__traceback__)
            return failure

    return FastestBridge()
