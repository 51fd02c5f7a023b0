# feature: fixtures.autouse, marks.custom
import pytest

seen = []


@pytest.fixture
def marker_fixture():
    seen.append("used")


@pytest.mark.usefixtures("marker_fixture")
def test_marked():
    assert seen == ["used"]


@pytest.mark.usefixtures("marker_fixture")
class TestMarkedClass:
    def test_a(self):
        assert len(seen) == 2

    def test_b(self):
        assert len(seen) == 2


@pytest.mark.usefixtures("missing_fixture")
def test_missing():
    pass
