# feature: kinds.doctest
def with_fixture():
    """
    >>> tmp = getfixture("tmp_path")
    >>> tmp.is_dir()
    True
    """
