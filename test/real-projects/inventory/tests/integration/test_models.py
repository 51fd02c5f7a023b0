import pytest

from inventory.report import low_stock, render

pytestmark = pytest.mark.integration


def test_low_stock(stock):
    assert low_stock(stock, 5) == ["B2", "C3"]


def test_render(stock, catalog):
    assert render(stock, catalog).splitlines() == [
        "apple       12",
        "bread        3",
        "cheese       1",
        "total        18.29",
    ]


def test_value_after_sales(stock, catalog):
    stock.take(catalog["B2"], 3)
    assert stock.value_cents(catalog) == 12 * 40 + 599
