# feature: kinds.subtests
import pytest


def test_skip_inside(subtests):
    with subtests.test("skipper"):
        pytest.skip("skip in subtest")
    with subtests.test("passer"):
        pass


def test_outer_fails_after(subtests):
    with subtests.test("inner ok"):
        pass
    assert False, "outer failure"
