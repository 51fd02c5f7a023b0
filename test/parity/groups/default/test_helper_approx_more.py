# feature: helpers.approx
import pytest


def test_negative():
    assert -1.0000001 == pytest.approx(-1.0)


def test_int():
    assert 3 == pytest.approx(3)


def test_zero_abs():
    assert 1e-13 == pytest.approx(0.0, abs=1e-12)


def test_zero_fails():
    assert 1e-5 == pytest.approx(0.0)


def test_exact():
    assert 1.0001 == pytest.approx(1.0, rel=0, abs=0)


def test_ordering_not_supported():
    with pytest.raises(TypeError):
        assert 1.0 < pytest.approx(2.0)


def test_nested_list_of_dicts():
    assert [{"a": 1.0000001}] == pytest.approx([{"a": 1.0}])
