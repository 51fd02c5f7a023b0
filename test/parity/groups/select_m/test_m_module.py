# feature: output.markexpr, marks.custom
import pytest

pytestmark = pytest.mark.slow


def test_module_marked():
    assert 0


@pytest.mark.parametrize("x", [1, pytest.param(2, marks=pytest.mark.db)])
def test_param_marks(x):
    pass
