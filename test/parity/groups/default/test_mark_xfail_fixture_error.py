# feature: marks.xfail, fixtures.errors
import pytest


@pytest.fixture
def bad():
    raise RuntimeError("fixture broken")


@pytest.mark.xfail(reason="setup errors are xfailed too")
def test_setup_error(bad):
    pass


@pytest.fixture
def bad_teardown():
    yield
    raise RuntimeError("teardown broken")


@pytest.mark.xfail(reason="teardown is not covered")
def test_teardown_error(bad_teardown):
    assert 0
