# feature: output.keyword
def test_in_alpha_module():
    pass


def test_slow_in_alpha_module():
    pass
