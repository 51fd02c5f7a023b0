# feature: output.warnings
import warnings


def test_deprecation():
    warnings.warn("old api", DeprecationWarning)


def test_pending():
    warnings.warn("soon", PendingDeprecationWarning)
