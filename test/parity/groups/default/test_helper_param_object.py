# feature: helpers.names, marks.parametrize
import pytest


def test_param_values():
    p = pytest.param(1, 2, id="x")
    assert p.values == (1, 2)
    assert p.id == "x"
    assert p.marks == ()


def test_param_bad_id():
    pytest.param(1, id=5)
