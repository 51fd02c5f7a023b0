# feature: output.durations
import time

import pytest


def test_slow_call():
    time.sleep(0.3)


def test_fast():
    pass


@pytest.fixture
def slow_setup():
    time.sleep(0.3)


def test_slow_setup(slow_setup):
    pass
