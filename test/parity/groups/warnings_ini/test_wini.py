# feature: output.warnings
import warnings


def test_error_by_default():
    warnings.warn("ini error", UserWarning)


def test_ignored_deprecation():
    warnings.warn("ini ignore", DeprecationWarning)


def test_fine():
    pass
