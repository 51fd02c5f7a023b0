# feature: collection.ids, collection.conftest
def test_name():
    assert __name__ == "coll_pkg.test_coll_pkg_top"
