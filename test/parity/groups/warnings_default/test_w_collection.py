# feature: output.warnings
import warnings

warnings.warn("warned at import", UserWarning)


def test_after_import_warning():
    pass
