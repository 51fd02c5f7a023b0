import pytest

from inventory import Item, Stock


@pytest.fixture
def catalog():
    return {
        "A1": Item("A1", "apple", 40),
        "B2": Item("B2", "bread", 250),
        "C3": Item("C3", "cheese", 599),
    }


@pytest.fixture
def stock(catalog):
    stock = Stock()
    for sku, quantity in (("A1", 12), ("B2", 3), ("C3", 1)):
        stock.add(catalog[sku], quantity)
    return stock
