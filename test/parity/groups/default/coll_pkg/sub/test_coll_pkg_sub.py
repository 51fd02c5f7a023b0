# feature: collection.ids
def test_name():
    assert __name__ == "coll_pkg.sub.test_coll_pkg_sub"


class TestInPkg:
    def test_method(self):
        assert __name__.endswith("sub")
