# feature: fixtures.request
import pytest


@pytest.fixture
def info(request):
    return request


def test_fixturename(request):
    assert request.fixturename is None or request.fixturename == "request"


def test_node_name(info):
    assert info.node.name == "test_node_name"


def test_function(info):
    assert info.function.__name__ == "test_function"


def test_module(info):
    assert info.module.__name__ == "test_fx_request"


def test_cls_none(info):
    assert info.cls is None


class TestCls:
    def test_cls(self, info):
        assert info.cls is TestCls

    def test_instance(self, info):
        assert info.instance is self


def test_scope(info):
    assert info.scope == "function"


def test_path(info):
    assert info.path.name == "test_fx_request.py"


def test_config(info):
    assert info.config.getoption("verbose") == 0


def test_keywords(info):
    assert "test_keywords" in info.keywords
