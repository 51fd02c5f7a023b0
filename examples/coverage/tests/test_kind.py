"""The other sides of `kind`: with -n 2 these may run on another worker than test_util.py."""
from pkg.util import kind


def test_kind_str():
    assert kind("a") == "str"


def test_kind_other():
    assert kind(1.5) == "other"
