import pytest

from src_calc import Stack


@pytest.fixture
def stack():
    s = Stack()
    s.push(1)
    s.push(2)
    yield s
    s._items.clear()
