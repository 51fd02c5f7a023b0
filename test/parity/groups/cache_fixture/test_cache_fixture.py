# feature: builtins.misc
def test_set_get(cache):
    cache.set("parity/key", {"a": 1})
    assert cache.get("parity/key", None) == {"a": 1}


def test_default(cache):
    assert cache.get("parity/missing", "dflt") == "dflt"


def test_mkdir(cache):
    assert cache.mkdir("parity_dir").is_dir()


def test_bad_key(cache):
    cache.set("parity/bad", object())
