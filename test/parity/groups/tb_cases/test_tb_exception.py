# feature: output.tb
def level_two():
    raise ValueError("deep failure")


def level_one():
    level_two()


def test_deep():
    level_one()


def test_chained():
    try:
        {}["k"]
    except KeyError:
        raise RuntimeError("while handling")
