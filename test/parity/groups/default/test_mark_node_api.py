# feature: marks.custom
import pytest


@pytest.fixture
def add_mark(request):
    request.node.add_marker(pytest.mark.dynamic)
    request.applymarker(pytest.mark.xfail(reason="applied at run time"))


def test_dynamic(add_mark, request):
    assert request.node.get_closest_marker("dynamic") is not None
    assert 0


def test_mark_object():
    mark = pytest.mark.custom(1, k=2)
    assert mark.mark.name == "custom"
    assert mark.mark.args == (1,)
    assert isinstance(mark.mark, pytest.Mark)
    assert isinstance(mark, pytest.MarkDecorator)
