# feature: helpers.warns
import warnings

import pytest


def test_warns():
    with pytest.warns(UserWarning):
        warnings.warn("user", UserWarning)


def test_warns_match():
    with pytest.warns(RuntimeWarning, match="^hot"):
        warnings.warn("hot stuff", RuntimeWarning)


def test_warns_not_raised():
    with pytest.warns(UserWarning):
        pass


def test_warns_wrong_category():
    with pytest.warns(DeprecationWarning):
        warnings.warn("wrong", UserWarning)


def test_warns_record():
    with pytest.warns(UserWarning) as record:
        warnings.warn("a")
        warnings.warn("b")
    assert [str(w.message) for w in record] == ["a", "b"]


def test_deprecated_call():
    with pytest.deprecated_call():
        warnings.warn("old", DeprecationWarning)


def test_deprecated_call_pending():
    with pytest.deprecated_call():
        warnings.warn("later", PendingDeprecationWarning)


def test_deprecated_call_missing():
    with pytest.deprecated_call():
        pass


def test_warns_match_fails():
    with pytest.warns(UserWarning, match="nope"):
        warnings.warn("yes")
