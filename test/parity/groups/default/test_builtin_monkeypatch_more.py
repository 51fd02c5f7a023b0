# feature: builtins.monkeypatch
import os

import pytest


class Target:
    def method(self):
        return "original"


def test_patch_method(monkeypatch):
    monkeypatch.setattr(Target, "method", lambda self: "patched")
    assert Target().method() == "patched"


def test_method_restored():
    assert Target().method() == "original"


def test_setattr_raising_false(monkeypatch):
    monkeypatch.setattr(Target, "new_attr", 1, raising=False)
    assert Target.new_attr == 1


def test_setenv_non_string(monkeypatch):
    with pytest.warns(pytest.PytestWarning):
        monkeypatch.setenv("PARITY_NUM", 5)
    assert os.environ["PARITY_NUM"] == "5"


def test_setitem_environ(monkeypatch):
    monkeypatch.setitem(os.environ, "PARITY_ITEM", "v")
    assert os.getenv("PARITY_ITEM") == "v"


def test_bad_target_string(monkeypatch):
    monkeypatch.setattr("no_such_module_xyz.attr", 1)
