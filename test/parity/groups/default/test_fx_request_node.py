# feature: fixtures.request
import pytest


def test_nodeid(request):
    assert request.node.nodeid == "test_fx_request_node.py::test_nodeid"


@pytest.mark.parametrize("x", [1])
def test_param_nodeid(request, x):
    assert request.node.nodeid.endswith("test_param_nodeid[1]")
    assert request.node.originalname == "test_param_nodeid"
    assert request.node.callspec.params == {"x": 1}


def test_fixturenames(request, tmp_path):
    assert "tmp_path" in request.fixturenames
    assert "request" in request.fixturenames


def test_rootpath(request):
    assert request.config.rootpath == request.path.parent


class TestNodeParent:
    def test_parent(self, request):
        assert request.node.parent.name == "TestNodeParent"
        assert request.node.module.__name__ == "test_fx_request_node"
