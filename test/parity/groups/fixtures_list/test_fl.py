# feature: output.fixtures
import pytest


@pytest.fixture
def documented():
    """A fixture with a docstring."""


@pytest.fixture(scope="module")
def module_scoped():
    pass


@pytest.fixture
def _private():
    pass


def test_uses(documented):
    pass
