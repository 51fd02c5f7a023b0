# feature: marks.skip, marks.custom
import pytest

pytestmark = pytest.mark.skip(reason="module skipped by pytestmark")


def test_a():
    pass


def test_b():
    pass
