# feature: assert.diff
def test_long_list_of_strings():
    left = [f"item-{i}" for i in range(15)]
    right = [f"item-{i}" for i in range(14)] + ["item-X"]
    assert left == right


def test_long_dict_values():
    assert {"key": "v" * 100} == {"key": "w" * 100}


def test_unicode():
    assert "naïve café" == "naive cafe"
