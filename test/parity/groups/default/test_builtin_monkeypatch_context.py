# feature: builtins.monkeypatch, helpers.names
import pytest


class Obj:
    x = 1


def test_context():
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Obj, "x", 5)
        assert Obj.x == 5
    assert Obj.x == 1


def test_undo(monkeypatch):
    monkeypatch.setattr(Obj, "x", 9)
    monkeypatch.undo()
    assert Obj.x == 1


def test_type(monkeypatch):
    assert isinstance(monkeypatch, pytest.MonkeyPatch)
