# feature: fixtures.scopes, fixtures.yield
import pytest

log = []


@pytest.fixture(scope="module")
def resource():
    log.append("open")
    yield "res"
    log.append("close")


def test_uses(resource):
    assert resource == "res"


def test_uses_again(resource):
    assert log == ["open"]


def test_still_open():
    assert log == ["open"]
