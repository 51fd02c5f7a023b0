# feature: output.durations
import time

import pytest


@pytest.fixture
def slow_teardown():
    yield
    time.sleep(0.3)


def test_slow_teardown(slow_teardown):
    pass
