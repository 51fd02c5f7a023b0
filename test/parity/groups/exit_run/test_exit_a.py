# feature: helpers.exit, output.exitcodes
import pytest


def test_before():
    pass


def test_exits():
    pytest.exit("stopping here")


def test_after():
    pass
