import warnings

import pytest

import timeparse


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("1h 30m", 5400), ("2d", 172800), ("0.5m", 30), ("45s", 45), ("1H2M3S", 3723)],
)
def test_parse(text, seconds):
    assert timeparse.parse(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "1 fortnight", "h"])
def test_rejects(text):
    with pytest.raises(ValueError, match="not a duration"):
        timeparse.parse(text)


def test_deprecated_name_warns():
    with pytest.deprecated_call():
        assert timeparse.parse_minutes("90s") == 1.5


def test_deprecated_name_without_catching():
    # filterwarnings = error: the warning fails this test, as it does under pytest.
    assert timeparse.parse_minutes("1h") == 60


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_deprecated_name_ignored_here():
    assert timeparse.parse_minutes("2m") == 2


def test_legacy_table_warning_is_ignored_by_config():
    assert timeparse.legacy_units()["w"] == 604800


def test_user_warning_becomes_error():
    with pytest.raises(UserWarning, match="careful"):
        warnings.warn("careful", UserWarning)


@pytest.mark.xfail(reason="weeks are not a unit yet")
def test_weeks():
    assert timeparse.parse("1w") == 604800
