# feature: builtins.recwarn
import warnings

import pytest


@pytest.fixture
def warns_in_fixture():
    warnings.warn("from fixture", UserWarning)


def test_sees_fixture_warning(recwarn, warns_in_fixture):
    assert [str(w.message) for w in recwarn] == ["from fixture"]


def test_categories(recwarn):
    warnings.warn("d", DeprecationWarning)
    warnings.warn("u", UserWarning)
    assert [w.category for w in recwarn] == [DeprecationWarning, UserWarning]


def test_iter_empty(recwarn):
    assert list(recwarn) == []


def test_recorder_type(recwarn):
    assert isinstance(recwarn, pytest.WarningsRecorder)
