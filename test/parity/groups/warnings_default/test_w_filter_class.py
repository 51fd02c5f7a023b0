# feature: marks.filterwarnings
import warnings

import pytest


@pytest.mark.filterwarnings("ignore::UserWarning")
class TestFiltered:
    def test_quiet(self):
        warnings.warn("hidden in class", UserWarning)

    @pytest.mark.filterwarnings("error::UserWarning")
    def test_method_mark_wins(self):
        warnings.warn("error in method", UserWarning)


@pytest.mark.filterwarnings("default::UserWarning")
def test_default_action():
    warnings.warn("same", UserWarning)
    warnings.warn("same", UserWarning)
