from __future__ import annotations

from dataclasses import dataclass, field


class OutOfStock(Exception):
    """Raised when more is taken than the stock holds."""


@dataclass(frozen=True)
class Item:
    sku: str
    name: str
    price_cents: int

    def __post_init__(self) -> None:
        if self.price_cents < 0:
            raise ValueError(f"negative price for {self.sku}: {self.price_cents}")


@dataclass
class Stock:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, item: Item, quantity: int = 1) -> None:
        self.counts[item.sku] = self.counts.get(item.sku, 0) + quantity

    def take(self, item: Item, quantity: int = 1) -> None:
        held = self.counts.get(item.sku, 0)
        if quantity > held:
            raise OutOfStock(f"{item.sku}: wanted {quantity}, have {held}")
        self.counts[item.sku] = held - quantity

    def value_cents(self, catalog: dict[str, Item]) -> int:
        return sum(catalog[sku].price_cents * n for sku, n in self.counts.items())
