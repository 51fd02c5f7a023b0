# feature: assert.diff
def test_multiline():
    left = "line one\nline two\nline three\n"
    right = "line one\nline 2\nline three\n"
    assert left == right


def test_trailing_whitespace():
    assert "abc \n" == "abc\n"


def test_many_lines():
    left = "\n".join(str(i) for i in range(30))
    right = "\n".join(str(i) if i != 15 else "fifteen" for i in range(30))
    assert left == right
