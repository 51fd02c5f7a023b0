# feature: output.warnings
import warnings


def test_warns_user():
    warnings.warn("a user warning", UserWarning)


def test_warns_twice():
    warnings.warn("first", UserWarning)
    warnings.warn("second", RuntimeWarning)


def test_no_warning():
    pass
