from coll_pkg_import.helpers_mod import VALUE

from ..helpers_mod import VALUE as RELATIVE


def test_absolute(pkg_value):
    assert VALUE == pkg_value


def test_relative():
    assert RELATIVE == 3


def test_module_file():
    assert __file__.endswith("test_pkgimp.py")
    assert __package__ == "coll_pkg_import.inner"
