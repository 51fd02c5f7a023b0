# feature: marks.skip, helpers.outcomes
import pytest

pytest.skip("skipping the whole module", allow_module_level=True)


def test_never():
    raise AssertionError
