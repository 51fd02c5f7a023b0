# feature: builtins.misc
def test_rootpath(pytestconfig):
    assert pytestconfig.rootpath.is_dir()


def test_getoption(pytestconfig):
    assert pytestconfig.getoption("verbose") == 0


def test_getini(pytestconfig):
    assert pytestconfig.getini("python_files") == ["test_*.py", "*_test.py"]


def test_option_attr(pytestconfig):
    assert pytestconfig.option.verbose == 0


def test_getoption_default(pytestconfig):
    assert pytestconfig.getoption("no_such_option", default="d") == "d"
