"""A local plugin: counts the tests that ran, for the terminal summary."""

ran = []


def pytest_runtest_logreport(report):
    if report.when == "call":
        ran.append(report.nodeid)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    terminalreporter.write_sep("-", "webhooks timing plugin")
    terminalreporter.write_line(f"{len(ran)} tests called")
