# feature: marks.strict
import pytest


@pytest.mark.registered
def test_registered():
    pass


@pytest.mark.slow
def test_slow():
    pass


@pytest.mark.skip(reason="builtin marks are always known")
def test_builtin():
    pass
