# feature: kinds.doctest
def skipped():
    """
    >>> skipped()  # doctest: +SKIP
    'never checked'
    """


def all_skipped():
    """
    >>> 1  # doctest: +SKIP
    2
    >>> 2  # doctest: +SKIP
    3
    """


def ellipsis():
    """
    >>> list(range(20))  # doctest: +ELLIPSIS
    [0, 1, ..., 19]
    """
