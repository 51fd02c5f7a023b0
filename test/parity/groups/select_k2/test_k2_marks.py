# feature: output.keyword, marks.custom
import pytest


@pytest.mark.red
def test_marked_red():
    pass


@pytest.mark.dark
def test_blue_dark():
    pass


def test_green():
    pass


def test_Blue():
    pass
