# feature: collection.parametrize-ids
import pytest


@pytest.mark.parametrize("x", [1, 1, 2, 1])
def test_dups(x):
    pass


@pytest.mark.parametrize("s", ["a", "a", "b"])
def test_dup_strings(s):
    assert s == "a"


@pytest.mark.parametrize("x", [pytest.param(1, id="a"), pytest.param(2, id="a"), pytest.param(3, id="a0")])
def test_dup_explicit(x):
    pass
