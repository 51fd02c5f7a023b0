# feature: builtins.monkeypatch
import os
import sys


def test_setenv(monkeypatch):
    monkeypatch.setenv("PARITY_VAR", "1")
    assert os.environ["PARITY_VAR"] == "1"


def test_env_restored():
    assert "PARITY_VAR" not in os.environ


def test_delenv(monkeypatch):
    monkeypatch.setenv("PARITY_GONE", "x")
    monkeypatch.delenv("PARITY_GONE")
    assert "PARITY_GONE" not in os.environ


def test_delenv_missing(monkeypatch):
    monkeypatch.delenv("PARITY_NEVER_SET", raising=False)


def test_prepend(monkeypatch):
    monkeypatch.setenv("PARITY_P", "a")
    monkeypatch.setenv("PARITY_P", "b", prepend=":")
    assert os.environ["PARITY_P"] == "b:a"


def test_setitem(monkeypatch):
    d = {"a": 1}
    monkeypatch.setitem(d, "a", 2)
    monkeypatch.setitem(d, "b", 3)
    assert d == {"a": 2, "b": 3}


def test_delitem(monkeypatch):
    d = {"a": 1}
    monkeypatch.delitem(d, "a")
    assert d == {}


def test_syspath_prepend(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(tmp_path))
    assert sys.path[0] == str(tmp_path)


def test_chdir(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert os.getcwd() == str(tmp_path)


def test_delenv_missing_raises(monkeypatch):
    monkeypatch.delenv("PARITY_NEVER_SET")
