"""Word counts."""

from collections import Counter


def top_words(text: str, n: int) -> list[tuple[str, int]]:
    """The ``n`` most common words, ties in alphabetical order.

    >>> top_words("x y x", 1)
    [('x', 2)]

    A deliberately stale example (the docs were not updated when ties
    changed order), which fails:

    >>> top_words("b a", 2)
    [('b', 1), ('a', 1)]
    """
    counts = Counter(text.split())
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:n]
