# feature: marks.custom
import pytest


@pytest.mark.slow
def test_slow():
    pass


@pytest.mark.db(name="main")
def test_with_args(request):
    mark = request.node.get_closest_marker("db")
    assert mark.kwargs == {"name": "main"}


@pytest.mark.tag("a", "b")
def test_args(request):
    assert request.node.get_closest_marker("tag").args == ("a", "b")


def test_no_marker(request):
    assert request.node.get_closest_marker("slow") is None


@pytest.mark.first
@pytest.mark.second
def test_iter_markers(request):
    assert [m.name for m in request.node.iter_markers()] == ["first", "second"]
