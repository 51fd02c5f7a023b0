# feature: kinds.doctest
"""Module docstring.

>>> 1 + 1
2
"""


def add(a, b):
    """Add.

    >>> add(2, 3)
    5
    """
    return a + b


class Box:
    """A box.

    >>> Box().size
    3
    """

    size = 3

    def method(self):
        """
        >>> Box().method()
        'm'
        """
        return "m"
