# feature: marks.parametrize, marks.xfail
import pytest


@pytest.mark.parametrize(
    "a,b",
    [
        (1, 1),
        pytest.param(1, 2, marks=pytest.mark.xfail(reason="unequal")),
        pytest.param(2, 2, marks=pytest.mark.xfail(strict=True, reason="strict unequal")),
        pytest.param(3, 4, marks=[pytest.mark.slow, pytest.mark.skip(reason="list of marks")]),
    ],
)
def test_eq(a, b):
    assert a == b
