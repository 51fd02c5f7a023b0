# feature: marks.skip
import pytest


@pytest.mark.skipif(True, reason="")
def test_empty_reason():
    pass


@pytest.mark.skipif("True")
def test_string_true_no_reason():
    pass


@pytest.mark.skip(reason="outer")
@pytest.mark.xfail(reason="inner")
def test_skip_and_xfail():
    pass


@pytest.mark.parametrize("x", [pytest.param(1, marks=pytest.mark.skipif("x == 1", reason="nope"))])
def test_skipif_on_param(x):
    pass
