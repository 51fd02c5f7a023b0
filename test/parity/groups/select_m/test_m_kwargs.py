# feature: output.markexpr
import pytest


@pytest.mark.level(n=1)
def test_one():
    pass


@pytest.mark.level(n=2)
def test_two():
    pass
