# feature: output.markexpr, marks.custom
import pytest


@pytest.mark.slow
def test_slow():
    pass


@pytest.mark.slow
@pytest.mark.db
def test_slow_db():
    pass


def test_unmarked():
    pass


@pytest.mark.net
def test_net():
    pass
