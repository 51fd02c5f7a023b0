# feature: kinds.doctest
def spaced():
    """
    >>> print("a    b")
    a b
    >>> list(range(10))
    [0, ..., 9]
    """


def number_flag():
    """
    >>> 3.14159  # doctest: +NUMBER
    3.14
    """


def strict():
    """
    >>> print("x")
    y
    """
