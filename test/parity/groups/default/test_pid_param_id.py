# feature: collection.parametrize-ids, marks.parametrize
import pytest


@pytest.mark.parametrize(
    "x",
    [
        pytest.param(1, id="one"),
        pytest.param(2),
        pytest.param(3, id="three", marks=pytest.mark.xfail(reason="three fails")),
        pytest.param(4, marks=pytest.mark.skip(reason="not four")),
    ],
)
def test_param(x):
    assert x < 3
