# feature: fixtures.errors, fixtures.scopes
import pytest


@pytest.fixture(scope="class")
def cls_res():
    yield
    raise RuntimeError("class teardown")


class TestX:
    def test_a(self, cls_res):
        pass

    def test_b(self, cls_res):
        pass


def test_outside():
    pass
