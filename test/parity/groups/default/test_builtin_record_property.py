# feature: builtins.misc
def test_record(record_property):
    record_property("key", "value")
    record_property("n", 1)


def test_record_fail(record_property):
    record_property("before", "failure")
    assert False
