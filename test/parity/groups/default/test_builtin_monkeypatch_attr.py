# feature: builtins.monkeypatch
import os

import pytest


class Config:
    value = 1


def test_setattr(monkeypatch):
    monkeypatch.setattr(Config, "value", 2)
    assert Config.value == 2


def test_restored():
    assert Config.value == 1


def test_setattr_string(monkeypatch):
    monkeypatch.setattr("os.sep", "!")
    assert os.sep == "!"


def test_delattr(monkeypatch):
    monkeypatch.delattr(Config, "value")
    assert not hasattr(Config, "value")


def test_delattr_missing(monkeypatch):
    with pytest.raises(AttributeError):
        monkeypatch.delattr(Config, "nope")
    monkeypatch.delattr(Config, "nope", raising=False)


def test_setattr_missing_raises(monkeypatch):
    monkeypatch.setattr(Config, "nope", 1)
