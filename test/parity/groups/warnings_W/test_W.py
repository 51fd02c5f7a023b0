# feature: output.warnings
import warnings

import pytest


def test_user_becomes_error():
    warnings.warn("boom", UserWarning)


def test_deprecation_ignored():
    warnings.warn("quiet", DeprecationWarning)


def test_runtime_still_warns():
    warnings.warn("loud", RuntimeWarning)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_mark_beats_cli():
    warnings.warn("mark wins", UserWarning)
