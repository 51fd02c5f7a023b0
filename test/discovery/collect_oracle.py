"""A pytest plugin that writes what pytest collected, for comparing static
discovery with real pytest: one JSON document at $COLLECT_ORACLE_FILE with
every item (node id, location, marks, keywords, collector chain) and the
node ids of collectors that failed or were skipped."""

import json
import math
import os

import pytest

_PLAIN = (str, int, float, bool, type(None))
_problems = []


def _keywords(item):
    names = set()
    for node in item.listchain():
        if isinstance(node, pytest.Session):
            continue
        if isinstance(node, pytest.Directory) and isinstance(node.parent, pytest.Session):
            continue
        names.add(node.name)
    names.update(item.listextrakeywords())
    function = getattr(item, "function", None)
    if function is not None:
        names.update(function.__dict__)
    names.update(mark.name for mark in item.iter_markers())
    return sorted(names)


def _marks(item):
    out = []
    for mark in item.iter_markers():
        kwargs = {k: v for k, v in mark.kwargs.items()
                  if isinstance(v, _PLAIN) and not (isinstance(v, float) and not math.isfinite(v))}
        out.append({"name": mark.name, "kwargs": kwargs})
    return out


def pytest_collectreport(report):
    if report.outcome != "passed":
        _problems.append(report.nodeid)


def pytest_collection_finish(session):
    items = []
    for item in session.items:
        path, lineno, domain = item.location
        items.append({
            "nodeid": item.nodeid,
            "location": [path, lineno, domain],
            "markers": list(dict.fromkeys(m.name for m in item.iter_markers())),
            "marks": _marks(item),
            "keywords": _keywords(item),
            "nodes": [{"type": type(n).__name__, "name": n.name} for n in item.listchain()[1:]],
        })
    with open(os.environ["COLLECT_ORACLE_FILE"], "w", encoding="utf-8") as f:
        json.dump({"items": items, "problems": _problems}, f)
