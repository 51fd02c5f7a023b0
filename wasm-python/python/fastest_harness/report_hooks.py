"""``pytest_runtest_makereport`` and ``pytest_runtest_logreport`` around the
harness's report of each phase, when a conftest or plugin implements them."""

from __future__ import annotations

from typing import Any

from .plugin_nodes import CallInfo, TestReport


def makereport(registry: Any, item: Any, when: str, error: BaseException | None, duration: float,
               report: dict) -> None:
    """Hand the phase's report to the hooks as a ``TestReport`` (the harness's own
    implementation makes it, called last as pytest's is); what they set on it
    (``outcome``, ``longrepr``) is what the host reports."""
    excinfo = None
    if error is not None:
        from .raises import ExceptionInfo
        excinfo = ExceptionInfo.from_exception(error)
    call = CallInfo(when, excinfo, duration)
    rep = TestReport(item, report)
    if registry.impls("pytest_runtest_makereport"):
        made = registry.call("pytest_runtest_makereport", item.nodeid, item=item, call=call,
                             default=lambda item, call: rep)
        if isinstance(made, TestReport):
            rep = made
    if registry.impls("pytest_runtest_logreport"):
        registry.call("pytest_runtest_logreport", item.nodeid, report=rep)
