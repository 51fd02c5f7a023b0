from .models import Item, Stock, OutOfStock

__all__ = ["Item", "Stock", "OutOfStock"]
