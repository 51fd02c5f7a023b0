# feature: helpers.exit, output.exitcodes
import pytest


def test_exit_with_code():
    pytest.exit("custom code", returncode=3)
