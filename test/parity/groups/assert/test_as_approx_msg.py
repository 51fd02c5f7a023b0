# feature: assert.diff, helpers.approx
import pytest


def test_approx_list():
    assert [1.0, 2.0, 3.0] == pytest.approx([1.0, 2.1, 3.0])


def test_approx_scalar():
    assert 2.0 == pytest.approx(2.5)
