"""Subtests as pytest 9 reports them: the ``subtests`` fixture and unittest's
``self.subTest``. Each finished subtest becomes a call-phase report with a
``subtest`` description (``[msg] (k=v)``); the runner sends them before the
item's own call report. A test whose subtests failed through the fixture
fails itself with ``contains N failed subtest(s)``; unittest tests do not
(pytest 9 leaves them passed)."""

from __future__ import annotations

import io
import sys
import time
from typing import Any

from .outcomes import Exit
from .saferepr import saferepr

# Exceptions a subtest block lets through instead of reporting.
_RERAISE = (Exit, KeyboardInterrupt)


def description(msg: Any, kwargs: Any) -> str:
    parts = []
    if msg is not None:
        parts.append(f"[{msg}]")
    if kwargs:
        parts.append("(" + ", ".join(f"{k}={saferepr(v)}" for k, v in kwargs.items()) + ")")
    return " ".join(parts) or "(<subtest>)"


def record(item: Any, desc: str, error: BaseException | None, duration: float,
           sections: list[tuple[str, str]] = ()) -> dict:
    """Build the report of one finished subtest of ``item`` and keep it for the runner."""
    runner = item.session._runner
    report = runner.report(item, "call", error, duration)
    report["subtest"] = desc
    report["sections"] = [*report["sections"], *([name, text] for name, text in sections)]
    item.stash.setdefault("subtest_reports", []).append(report)
    return report


def take(item: Any) -> list[dict]:
    """The subtest reports of ``item`` so far, in order; forgets them."""
    return item.stash.pop("subtest_reports", [])


class SubTests:
    """The ``subtests`` fixture: ``with subtests.test(msg, **kwargs):`` blocks
    are reported one by one and do not stop the test when they fail."""

    __module__ = "_pytest.subtests"  # reprs read as pytest's
    __qualname__ = "Subtests"

    def __init__(self, request: Any) -> None:
        self._request = request

    def test(self, msg: str | None = None, **kwargs: Any) -> "_SubTestBlock":
        return _SubTestBlock(self._request, msg, kwargs)


class _SubTestBlock:
    def __init__(self, request: Any, msg: str | None, kwargs: dict) -> None:
        self._request = request
        self._msg = msg
        self._kwargs = kwargs

    def __enter__(self) -> None:
        __tracebackhide__ = True
        self._start = time.perf_counter()
        # Output inside the block goes to its own report, unless capsys/capfd or -s hold it.
        capture = self._request.session._capture
        self._saved = None
        if capture.mode != "no" and capture.fixture is None:
            self._saved = (sys.stdout, sys.stderr)
            sys.stdout, sys.stderr = io.StringIO(), io.StringIO()

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> bool:
        __tracebackhide__ = True
        duration = time.perf_counter() - self._start
        sections: list[tuple[str, str]] = []
        if self._saved is not None:
            out, err = sys.stdout.getvalue(), sys.stderr.getvalue()
            sys.stdout, sys.stderr = self._saved
            if out:
                sections.append(("Captured stdout call", out))
            if err:
                sections.append(("Captured stderr call", err))
        item = self._request.node
        report = record(item, description(self._msg, self._kwargs), exc, duration, sections)
        if report["outcome"] == "failed":
            item.stash["failed_subtests"] = item.stash.get("failed_subtests", 0) + 1
        return exc is None or not isinstance(exc, _RERAISE)


def contains_failed(item: Any, report: dict) -> None:
    """A passing call of a test whose fixture subtests failed fails, as in pytest 9."""
    failed = item.stash.pop("failed_subtests", 0)
    if failed and report["outcome"] == "passed" and report["wasxfail"] is None:
        text = f"contains {failed} failed subtest{'s' if failed > 1 else ''}"
        report.update(outcome="failed", longrepr=text, message=text)
