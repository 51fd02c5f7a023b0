def f():
    """
    >>> injected + 1
    43
    """
