# feature: fixtures.errors, helpers.outcomes
import pytest


@pytest.fixture
def skipper():
    pytest.skip("fixture says skip")


@pytest.fixture
def failer():
    pytest.fail("fixture says fail")


@pytest.fixture
def xfailer():
    pytest.xfail("fixture says xfail")


def test_skipped(skipper):
    pass


def test_failed(failer):
    pass


def test_xfailed(xfailer):
    pass
