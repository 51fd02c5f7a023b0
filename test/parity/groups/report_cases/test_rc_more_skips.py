# feature: output.report-chars
import pytest


@pytest.mark.parametrize("n", [1, 2, 3])
def test_skipped_same_reason(n):
    pytest.skip("grouped reason")


def test_runtime_xfail():
    pytest.xfail("runtime xfail")
