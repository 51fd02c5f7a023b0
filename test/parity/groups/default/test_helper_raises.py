# feature: helpers.raises
import pytest


def test_raises_ok():
    with pytest.raises(ValueError):
        int("x")


def test_raises_match():
    with pytest.raises(ValueError, match=r"invalid literal"):
        int("x")


def test_raises_match_fails():
    with pytest.raises(ValueError, match="nothing like this"):
        int("x")


def test_raises_not_raised():
    with pytest.raises(KeyError):
        pass


def test_raises_wrong_type():
    with pytest.raises(KeyError):
        raise ValueError("wrong one")


def test_raises_tuple():
    with pytest.raises((KeyError, ValueError)):
        raise ValueError


def test_raises_subclass():
    with pytest.raises(LookupError):
        raise KeyError("k")


def test_excinfo():
    with pytest.raises(ZeroDivisionError) as excinfo:
        1 / 0
    assert excinfo.type is ZeroDivisionError
    assert "division" in str(excinfo.value)
    assert excinfo.match("zero")
    assert excinfo.typename == "ZeroDivisionError"


def test_callable_form():
    excinfo = pytest.raises(ZeroDivisionError, lambda: 1 / 0)
    assert excinfo.type is ZeroDivisionError


def test_callable_with_args():
    pytest.raises(ValueError, int, "abc")


def test_excinfo_traceback():
    with pytest.raises(RuntimeError) as excinfo:
        raise RuntimeError("tb")
    assert len(excinfo.traceback) >= 1
    assert isinstance(excinfo, pytest.ExceptionInfo)
