# feature: fixtures.basic, fixtures.params
import pytest


@pytest.fixture
def value():
    return "fixture"


@pytest.mark.parametrize("value", ["param"])
def test_param_wins(value):
    assert value == "param"


def test_fixture_used(value):
    assert value == "fixture"


@pytest.fixture
def needs_value(value):
    return value + "!"


@pytest.mark.parametrize("value", ["direct"])
def test_param_seen_by_dependent(needs_value):
    assert needs_value == "direct!"
