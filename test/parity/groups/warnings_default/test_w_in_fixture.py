# feature: output.warnings
import warnings

import pytest


@pytest.fixture
def warns_on_setup():
    warnings.warn("setup warning", UserWarning)
    yield
    warnings.warn("teardown warning", UserWarning)


def test_fixture_warnings(warns_on_setup):
    pass


def test_caught_not_counted():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.warn("swallowed")
