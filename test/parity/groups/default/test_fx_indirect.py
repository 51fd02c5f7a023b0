# feature: fixtures.params, marks.parametrize
import pytest


@pytest.fixture
def doubled(request):
    return request.param * 2


@pytest.fixture
def plain():
    return "p"


@pytest.mark.parametrize("doubled", [1, 2], indirect=True)
def test_indirect(doubled):
    assert doubled == 2


@pytest.mark.parametrize("doubled,other", [(3, "x")], indirect=["doubled"])
def test_partial_indirect(doubled, other):
    assert (doubled, other) == (6, "x")


@pytest.mark.parametrize("plain", ["override"])
def test_direct_overrides_fixture(plain):
    assert plain == "override"
