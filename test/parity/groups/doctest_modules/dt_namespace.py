# feature: kinds.doctest, builtins.misc
def uses_namespace():
    """
    >>> injected
    42
    """
