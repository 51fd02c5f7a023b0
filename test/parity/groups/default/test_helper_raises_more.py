# feature: helpers.raises
import pytest


def test_match_special_chars():
    with pytest.raises(ValueError, match=r"\(1\)"):
        raise ValueError("value (1)")


def test_match_escape():
    import re

    with pytest.raises(ValueError, match=re.escape("a.b[c]")):
        raise ValueError("a.b[c]")


def test_excinfo_match_fails():
    with pytest.raises(TypeError) as excinfo:
        raise TypeError("abc")
    excinfo.match("xyz")


def test_check_param():
    with pytest.raises(OSError, check=lambda e: e.errno == 2):
        raise OSError(2, "missing")


def test_exception_group():
    with pytest.raises(ExceptionGroup) as excinfo:
        raise ExceptionGroup("group", [ValueError("a"), TypeError("b")])
    assert excinfo.group_contains(ValueError)
    assert not excinfo.group_contains(KeyError)


def test_raises_group_helper():
    with pytest.RaisesGroup(ValueError, TypeError):
        raise ExceptionGroup("g", [ValueError(), TypeError()])


def test_raises_base_exception():
    with pytest.raises(SystemExit):
        raise SystemExit(3)


def test_raises_keyboard_interrupt():
    with pytest.raises(KeyboardInterrupt):
        raise KeyboardInterrupt
