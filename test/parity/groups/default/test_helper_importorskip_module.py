# feature: helpers.outcomes, collection.skipped
import pytest

missing = pytest.importorskip("definitely_not_installed_module")


def test_never():
    pass
