"""pytest plugin for the parity suite (the oracle side).

Loaded with ``-p parity_oracle`` (this folder on PYTHONPATH). Writes one JSON
line per collect problem, test phase, warning and deselected item to the
file named by $PARITY_ORACLE_FILE, in the shape of fastest's JSON report so
both sides can be compared by the same code.
"""

import json
import os

_out = None


def _write(record):
    _out.write(json.dumps(record) + "\n")


def _message(report):
    if isinstance(report.longrepr, str):
        return report.longrepr
    crash = getattr(report.longrepr, "reprcrash", None)
    return crash.message if crash is not None else None


def pytest_configure(config):
    global _out
    if _out is None:
        _out = open(os.environ["PARITY_ORACLE_FILE"], "w", encoding="utf-8")


def pytest_unconfigure(config):
    global _out
    if _out is not None:
        _out.close()
        _out = None


def pytest_collectreport(report):
    if report.outcome == "passed":
        return
    record = {"kind": "collect", "nodeid": report.nodeid, "outcome": report.outcome,
              "longrepr": report.longreprtext, "message": _message(report)}
    if report.skipped and isinstance(report.longrepr, tuple):
        record["reason"] = report.longrepr[2]
    _write(record)


def pytest_deselected(items):
    for item in items:
        _write({"kind": "deselected", "nodeid": item.nodeid})


def pytest_runtest_logreport(report):
    skip = None
    if report.skipped and isinstance(report.longrepr, tuple):
        skip = report.longrepr[2]
    # pytest 9 reports each subtest (subtests fixture, unittest subTest) as its own call report.
    context = getattr(report, "context", None)
    subtest = None
    if context is not None:
        subtest = " ".join([f"[{context.msg}]" if context.msg is not None else ""]
                           + [f"({', '.join(f'{k}={v!r}' for k, v in context.kwargs.items())})" if context.kwargs else ""]).strip()
    _write({"kind": "phase", "nodeid": report.nodeid, "when": report.when, "outcome": report.outcome, "subtest": subtest,
            "longrepr": None if skip is not None else report.longreprtext, "message": _message(report),
            "skip": skip, "wasxfail": getattr(report, "wasxfail", None)})


def pytest_warning_recorded(warning_message, when, nodeid, location):
    _write({"kind": "warning", "nodeid": nodeid, "filename": warning_message.filename})
