# feature: fixtures.basic
import pytest


@pytest.fixture(name="alias")
def some_long_function_name():
    return "aliased"


@pytest.fixture(name="uses_alias")
def _(alias):
    return alias.upper()


def test_alias(alias):
    assert alias == "aliased"


def test_uses_alias(uses_alias):
    assert uses_alias == "ALIASED"


def test_original_name_unknown(some_long_function_name):
    pass
