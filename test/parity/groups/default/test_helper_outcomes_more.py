# feature: helpers.outcomes
import pytest


@pytest.fixture
def fails_in_teardown():
    yield
    pytest.fail("teardown fail")


def test_teardown_fail(fails_in_teardown):
    pass


@pytest.fixture
def skips_in_teardown():
    yield
    pytest.skip("teardown skip")


def test_teardown_skip(skips_in_teardown):
    pass


def test_skip_no_reason():
    pytest.skip()


def test_fail_no_message():
    pytest.fail()


def test_xfail_no_reason():
    pytest.xfail()
