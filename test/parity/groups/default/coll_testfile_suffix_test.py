# feature: collection.discovery
def test_suffix_style_file():
    pass


def test_second():
    assert [1] == [2]
