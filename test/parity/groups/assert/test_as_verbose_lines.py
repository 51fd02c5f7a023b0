# feature: output.verbosity
import pytest


def test_pass():
    pass


def test_fail():
    assert 0


@pytest.mark.skip(reason="why")
def test_skip():
    pass


@pytest.mark.xfail(reason="known")
def test_xfail():
    assert 0


@pytest.mark.parametrize("x", [1, "a b"])
def test_param(x):
    pass
