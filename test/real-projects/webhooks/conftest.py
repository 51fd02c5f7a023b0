import pytest

pytest_plugins = ["tests.plugins.timing"]


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", default=False, help="run slow tests")
    parser.addoption("--secret", default="s3cret", help="signing secret for the tests")
    parser.addini("webhook_retries", "how often delivery is retried", default="3")


def pytest_configure(config):
    config.addinivalue_line("markers", "vendor(name): payloads of one vendor")


def pytest_report_header(config):
    return f"webhooks: secret of {len(config.getoption('--secret'))} characters"


def pytest_collection_modifyitems(config, items):
    if config.getoption("--runslow"):
        return
    skip_slow = pytest.mark.skip(reason="need --runslow option to run")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip_slow)


def pytest_generate_tests(metafunc):
    if "vendor" in metafunc.fixturenames:
        metafunc.parametrize("vendor", ["github", "stripe", "slack"])


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)


@pytest.fixture
def secret(request):
    return request.config.getoption("--secret").encode()


@pytest.fixture
def retries(pytestconfig):
    return int(pytestconfig.getini("webhook_retries"))


@pytest.fixture
def delivery_log(request):
    log = []
    yield log
    if request.node.rep_call.failed:
        print(f"delivery log of {request.node.name}: {log}")
