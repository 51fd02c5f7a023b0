# feature: helpers.warns
import warnings

import pytest


def deprecated_api():
    warnings.warn("use new_api", DeprecationWarning)
    return 7


def test_function_form():
    assert pytest.warns(DeprecationWarning, deprecated_api) == 7


def test_tuple_categories():
    with pytest.warns((UserWarning, RuntimeWarning)):
        warnings.warn("rt", RuntimeWarning)


def test_deprecated_call_function_form():
    assert pytest.deprecated_call(deprecated_api) == 7


def test_subclass_matches():
    class MyWarning(UserWarning):
        pass

    with pytest.warns(UserWarning):
        warnings.warn("sub", MyWarning)


def test_record_has_category():
    with pytest.warns(UserWarning) as record:
        warnings.warn("x", UserWarning)
    assert record[0].category is UserWarning
    assert len(record) == 1


def test_other_warning_reemitted():
    with pytest.warns(UserWarning):
        warnings.warn("wanted", UserWarning)
        warnings.warn("unrelated", RuntimeWarning)
