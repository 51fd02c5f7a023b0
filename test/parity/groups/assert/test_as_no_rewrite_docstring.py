"""Module docstring.

PYTEST_DONT_REWRITE
"""
# feature: assert.rewrite


def test_not_rewritten():
    x = 1
    assert x == 2
