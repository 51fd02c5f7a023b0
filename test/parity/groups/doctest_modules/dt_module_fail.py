# feature: kinds.doctest
def wrong():
    """
    >>> wrong()
    2
    """
    return 1


def raises():
    """
    >>> raises()
    Traceback (most recent call last):
    ...
    ValueError: expected
    """
    raise ValueError("expected")


def unexpected():
    """
    >>> unexpected()
    1
    """
    raise KeyError("surprise")
