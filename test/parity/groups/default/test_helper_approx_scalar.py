# feature: helpers.approx
import pytest


def test_float():
    assert 0.1 + 0.2 == pytest.approx(0.3)


def test_rel():
    assert 100 == pytest.approx(101, rel=0.02)


def test_abs():
    assert 1.0 == pytest.approx(1.05, abs=0.1)


def test_fails():
    assert 1.0 == pytest.approx(1.1)


def test_rel_fails():
    assert 100 == pytest.approx(110, rel=0.01)


def test_nan_ok():
    assert float("nan") == pytest.approx(float("nan"), nan_ok=True)


def test_nan_not_ok():
    assert float("nan") == pytest.approx(float("nan"))


def test_inf():
    assert float("inf") == pytest.approx(float("inf"))


def test_not_equal():
    assert 1.0 != pytest.approx(2.0)


def test_repr():
    assert repr(pytest.approx(1.0)) == "1.0 ± 1.0e-06"
