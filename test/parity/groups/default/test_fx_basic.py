# feature: fixtures.basic
import pytest


@pytest.fixture
def number():
    return 41


@pytest.fixture
def bigger(number):
    return number + 1


@pytest.fixture(name="renamed")
def _renamed_fixture():
    return "r"


def test_number(number):
    assert number == 41


def test_chain(bigger):
    assert bigger == 43


def test_renamed(renamed):
    assert renamed == "r"


def test_two(number, bigger):
    assert bigger - number == 1
