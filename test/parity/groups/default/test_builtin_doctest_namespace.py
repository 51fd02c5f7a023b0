# feature: builtins.misc
def test_namespace(doctest_namespace):
    doctest_namespace["x"] = 1
    assert doctest_namespace["x"] == 1
