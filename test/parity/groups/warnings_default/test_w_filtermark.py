# feature: marks.filterwarnings
import warnings

import pytest


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_ignored():
    warnings.warn("hidden", UserWarning)


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_error():
    warnings.warn("now an error", RuntimeWarning)


@pytest.mark.filterwarnings("ignore:.*specific.*")
def test_message_filter():
    warnings.warn("a specific message")
    warnings.warn("another one")


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_module_filter():
    warnings.warn("module-level ignore", DeprecationWarning)
