# feature: output.report-chars
import pytest


def test_pass():
    pass


def test_fail():
    assert 0


@pytest.mark.skip(reason="skip reason here")
def test_skip():
    pass


@pytest.mark.xfail(reason="xfail reason here")
def test_xfail():
    assert 0


@pytest.mark.xfail(reason="xpass reason here")
def test_xpass():
    pass


@pytest.fixture
def broken():
    raise RuntimeError("setup boom")


def test_error(broken):
    pass
