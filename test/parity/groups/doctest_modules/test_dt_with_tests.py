# feature: kinds.doctest
def helper():
    """
    >>> helper()
    'h'
    """
    return "h"


def test_regular():
    assert helper() == "h"
