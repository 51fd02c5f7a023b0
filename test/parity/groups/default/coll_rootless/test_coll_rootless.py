# feature: collection.ids, collection.conftest
def test_module_name():
    assert __name__ == "test_coll_rootless"
