import pytest


def test_inner(value):
    assert value == "outer+inner"


def test_base(base):
    assert base == 20


@pytest.fixture
def base():
    return 30


def test_module_wins(base):
    assert base == 30


class TestClassLevel:
    @pytest.fixture
    def base(self):
        return 40

    def test_class_wins(self, base):
        assert base == 40

    def test_wrong(self, base):
        assert base == 30
