# feature: fixtures.request
import pytest

log = []


@pytest.fixture
def lazy():
    return "lazy"


@pytest.fixture
def with_finalizer(request):
    request.addfinalizer(lambda: log.append("fin1"))
    request.addfinalizer(lambda: log.append("fin2"))
    return 1


def test_getfixturevalue(request):
    assert request.getfixturevalue("lazy") == "lazy"


def test_getfixturevalue_missing(request):
    request.getfixturevalue("no_such_fixture")


def test_finalizer(with_finalizer):
    assert log == []


def test_finalizer_order():
    assert log == ["fin2", "fin1"]


@pytest.fixture
def named(request):
    return request.fixturename


def test_named(named):
    assert named == "named"


@pytest.fixture(scope="module")
def modscope(request):
    return request.scope


def test_modscope(modscope):
    assert modscope == "module"
