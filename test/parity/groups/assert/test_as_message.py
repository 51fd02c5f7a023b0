# feature: assert.message
def test_message():
    assert 1 == 2, "numbers differ"


def test_message_multiline():
    assert False, "first line\nsecond line"


def test_message_object():
    assert [], {"why": "empty"}


def test_message_with_values():
    x = 3
    assert x > 5, f"x was {x}"
