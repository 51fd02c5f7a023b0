# feature: helpers.raises
import pytest


def test_value_args():
    with pytest.raises(ValueError) as excinfo:
        raise ValueError("a", 1)
    assert excinfo.value.args == ("a", 1)


def test_match_multiline():
    with pytest.raises(RuntimeError, match="second"):
        raise RuntimeError("first\nsecond")


def test_nested():
    with pytest.raises(KeyError):
        with pytest.raises(ValueError):
            raise KeyError("outer")


def test_raises_in_fixture_context():
    with pytest.raises(AssertionError, match="assert 1 == 2"):
        assert 1 == 2


def test_not_raised_message():
    with pytest.raises((ValueError, TypeError)):
        pass


def test_match_on_wrong_type_reports_type():
    with pytest.raises(ValueError, match="x"):
        raise TypeError("x")


def test_str_excinfo():
    with pytest.raises(ValueError) as excinfo:
        raise ValueError("shown")
    assert "ValueError" in str(excinfo.type)
