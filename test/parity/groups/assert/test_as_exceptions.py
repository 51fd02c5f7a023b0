# feature: assert.message
def test_raise_value_error():
    raise ValueError("bad value")


def test_key_error():
    {}["missing"]


def test_attribute_error():
    None.attr


def test_chained():
    try:
        raise KeyError("inner")
    except KeyError as exc:
        raise RuntimeError("outer") from exc


def test_assertion_error_manual():
    raise AssertionError("manual")


def test_assertion_error_empty():
    raise AssertionError


def test_exception_group():
    raise ExceptionGroup("many", [ValueError("a"), TypeError("b")])
