# feature: collection.parametrize-ids, marks.custom
import pytest

pytestmark = pytest.mark.parametrize("z", [7, 8])


def test_uses_z(z):
    assert z == 7


class TestAlsoZ:
    def test_in_class(self, z):
        assert z > 0
