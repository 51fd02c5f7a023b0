# feature: kinds.xunit
log = []


def setup_module(module):
    log.append("setup_module")


def teardown_module(module):
    log.append("teardown_module")


def setup_function(function):
    log.append("setup_function:" + function.__name__)


def teardown_function(function):
    log.append("teardown_function")


def test_one():
    assert log == ["setup_module", "setup_function:test_one"]


def test_two():
    assert log[-2:] == ["teardown_function", "setup_function:test_two"]
