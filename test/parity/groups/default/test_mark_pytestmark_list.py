# feature: marks.custom
import pytest

pytestmark = [pytest.mark.alpha, pytest.mark.beta]


def test_module_marks(request):
    names = {m.name for m in request.node.iter_markers()}
    assert {"alpha", "beta"} <= names


class TestClassMarks:
    pytestmark = pytest.mark.gamma

    def test_has_all(self, request):
        names = [m.name for m in request.node.iter_markers()]
        assert names == ["gamma", "alpha", "beta"]
