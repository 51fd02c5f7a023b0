# feature: helpers.approx
import pytest


def test_list():
    assert [0.1 + 0.2, 0.2 + 0.4] == pytest.approx([0.3, 0.6])


def test_tuple():
    assert (1.0000001, 2.0) == pytest.approx((1.0, 2.0))


def test_dict():
    assert {"a": 0.1 + 0.2} == pytest.approx({"a": 0.3})


def test_list_fails():
    assert [1.0, 2.0, 3.0] == pytest.approx([1.0, 2.5, 3.0])


def test_dict_fails():
    assert {"a": 1.0, "b": 2.0} == pytest.approx({"a": 1.0, "b": 3.0})


def test_length_mismatch():
    assert [1.0, 2.0] == pytest.approx([1.0, 2.0, 3.0])


def test_scalar_vs_list():
    assert [1.0, 1.0] == pytest.approx(1.0)


def test_decimal():
    from decimal import Decimal

    assert Decimal("1.0000001") == pytest.approx(Decimal("1.0"))
