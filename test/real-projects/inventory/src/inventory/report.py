from .models import Item, Stock


def low_stock(stock: Stock, threshold: int) -> list[str]:
    return sorted(sku for sku, n in stock.counts.items() if n < threshold)


def render(stock: Stock, catalog: dict[str, Item]) -> str:
    lines = [f"{catalog[sku].name:<10}{n:>4}" for sku, n in sorted(stock.counts.items())]
    lines.append(f"{'total':<10}{stock.value_cents(catalog) / 100:>8.2f}")
    return "\n".join(lines)
