"""One collect-and-run cycle over a small throwaway suite, done before the
interpreter snapshot is taken.

Inside WebAssembly, first use is what costs: modules the harness or the
stdlib import lazily, regex and ``inspect`` caches, the assertion explainers.
Running them once here puts all of that into the snapshot, so a real run
starts warm. Nothing of the throwaway suite survives: its files, modules,
``sys.path`` entries and cached code are removed afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import sys

ROOT = "/tmp/fastest-warmup"

_CONFTEST = '''
import pytest

@pytest.fixture(scope="session")
def settings():
    return {"debug": False}

@pytest.fixture
def items(settings):
    data = [1, 2, 3]
    yield data
    data.clear()
'''

_TESTS = '''
import logging
import warnings
import pytest


@pytest.fixture(scope="module", params=[1, 2], ids=["one", "two"])
def number(request):
    return request.param


@pytest.mark.parametrize("a, b", [(1, 2), pytest.param(3, 4, id="pair")])
def test_parametrized(a, b, number, items):
    assert a < b and number in (1, 2) and len(items) == 3


class TestKinds:
    def test_strings(self):
        assert "abc" + "d" == "abcd"

    def test_compare_fails(self):
        assert {"a": 1, "b": [1, 2]} == {"a": 2, "b": [1, 3]}

    def test_text_fails(self):
        assert "one\\ntwo\\nthree" == "one\\n2\\nthree"

    def test_list_fails(self):
        assert [1, 2, 3] == [1, 2, 4, 5]


def test_raises():
    with pytest.raises(ZeroDivisionError, match="division"):
        1 / 0


def test_builtins(tmp_path, monkeypatch, capsys, caplog, recwarn):
    monkeypatch.setenv("FASTEST_WARMUP", "1")
    (tmp_path / "f.txt").write_text("x")
    print("out")
    logging.getLogger("warmup").warning("logged")
    warnings.warn("careful", UserWarning)
    assert capsys.readouterr().out == "out\\n"
    assert 0.1 + 0.2 == pytest.approx(0.3)


def test_error_in_call():
    raise ValueError("boom")


@pytest.mark.skip(reason="warm the skip path")
def test_skipped():
    pass


@pytest.mark.xfail(reason="warm the xfail path")
def test_xfailed():
    assert False
'''


def run() -> None:
    from . import api, importhook, lockdown

    # The lockdown run at every boot patches these; imported now, they come
    # from the snapshot (pyodide.http alone took ~290 ms to import at boot).
    lockdown.preload()

    os.makedirs(ROOT, exist_ok=True)
    files = {"conftest.py": _CONFTEST, "test_warmup.py": _TESTS}
    for name, text in files.items():
        with open(os.path.join(ROOT, name), "w", encoding="utf-8") as fh:
            fh.write(text)
    config = json.dumps({"rootdir": ROOT, "invocationDir": ROOT, "seed": 0})
    saved_path = list(sys.path)
    try:
        api.configure(config)
        collected = json.loads(api.collect(json.dumps([os.path.join(ROOT, "test_warmup.py")])))
        api.run(json.dumps([item["nodeid"] for item in collected["items"]]), lambda event: None)
        api.finish()
        api.configure(config)  # forgets the throwaway suite's modules
    finally:
        sys.path[:] = saved_path
        for key in [k for k in sys.path_importer_cache if isinstance(k, str) and k.startswith(ROOT)]:
            del sys.path_importer_cache[key]
        importhook.export_new()
        importhook.forget(ROOT)
        os.chdir("/")
        shutil.rmtree(ROOT, ignore_errors=True)
