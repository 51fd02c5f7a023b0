# feature: assert.compare
def test_multiline_statement():
    assert (
        1
        + 1
        == 3
    )


def test_assert_tuple_warning():
    x = 1
    assert x == 1
    assert x == 1, (
        "message spanning"
        " lines"
    )
    assert x == 2, (
        "message spanning"
        " lines"
    )
