/**
 * The realistic suite: 500 tests in 5 packages of 4 files over a small
 * application package (`shop`), with fixtures of every scope (function,
 * class, module, package, session), yield teardowns, stacked parametrize,
 * tmp_path and tmp_path_factory file I/O, and conftest files at two levels.
 */
import { freshDir, writeFiles, type GeneratedSuite } from "./suite-files.js";

const PACKAGES = 5;
const FILES_PER_PACKAGE = 4;
const TESTS_PER_FILE = 25;

const INVENTORY = `"""A small inventory model: the code under test."""
import json
from dataclasses import dataclass, field


def parse_price(text):
    """'12.34', '$12.34' or '12' as cents."""
    whole, _, fraction = text.strip().lstrip("$").partition(".")
    return int(whole) * 100 + int((fraction + "00")[:2])


@dataclass
class Item:
    sku: str
    name: str
    cents: int
    quantity: int = 0


@dataclass
class Inventory:
    items: dict = field(default_factory=dict)

    def add(self, item):
        if item.sku in self.items:
            raise KeyError(f"duplicate sku {item.sku}")
        self.items[item.sku] = item

    def restock(self, sku, count):
        self.items[sku].quantity += count
        return self.items[sku].quantity

    def take(self, sku, count):
        item = self.items[sku]
        if count > item.quantity:
            raise ValueError(f"only {item.quantity} of {sku} left")
        item.quantity -= count
        return item.quantity

    def value(self):
        return sum(item.cents * item.quantity for item in self.items.values())

    def save(self, path):
        path.write_text(json.dumps([vars(item) for item in self.items.values()], sort_keys=True))

    @classmethod
    def load(cls, path):
        inventory = cls()
        for record in json.loads(path.read_text()):
            inventory.add(Item(**record))
        return inventory
`;

const ROOT_CONFTEST = `import pytest

from shop import Inventory, Item


@pytest.fixture(scope="session")
def settings():
    values = {"currency": "EUR", "tax_percent": 20, "opened": True}
    yield values
    values["opened"] = False


@pytest.fixture(scope="session")
def price_list(tmp_path_factory):
    path = tmp_path_factory.mktemp("prices") / "prices.csv"
    path.write_text("\\n".join(f"SKU{i},{i}.{i:02d}" for i in range(50)))
    return path


@pytest.fixture
def inventory():
    stock = Inventory()
    for i in range(10):
        stock.add(Item(f"SKU{i}", f"item {i}", 100 + i, quantity=i))
    yield stock
    stock.items.clear()
`;

function packageConftest(pkg: number): string {
  return `import pytest

from shop import Inventory, Item


@pytest.fixture(scope="package")
def warehouse(settings):
    stock = Inventory()
    for i in range(100):
        stock.add(Item(f"W${pkg}-{i}", f"pallet {i}", 1000 + i, quantity=5))
    yield stock
    assert settings["opened"]
`;
}

function testFile(pkg: number, file: number): string {
  const n = pkg * FILES_PER_PACKAGE + file;
  return `import json

import pytest

from shop import Inventory, Item, parse_price


@pytest.fixture(scope="module")
def catalog(price_list):
    rows = [line.split(",") for line in price_list.read_text().splitlines()]
    return {sku: parse_price(price) for sku, price in rows}


@pytest.fixture
def ledger():
    entries = []
    yield entries
    assert all(isinstance(entry, tuple) for entry in entries)


class TestRestock${n}:
    @pytest.fixture(scope="class")
    def stocked(self):
        stock = Inventory()
        stock.add(Item("A", "apple", ${50 + n}, quantity=0))
        return stock

    def test_known(self, stocked):
        assert "A" in stocked.items

    @pytest.mark.parametrize("count", [1, 2, 3])
    def test_restock(self, stocked, settings, count):
        assert stocked.restock("A", count) >= count and settings["currency"] == "EUR"

    def test_take_too_many(self, stocked):
        with pytest.raises(ValueError, match="left"):
            stocked.take("A", 10**6)


@pytest.mark.parametrize("text, cents", [("1.00", 100), ("$2.50", 250), (" 3.5 ", 350), ("${n}", ${n * 100}), ("0.${String(n % 100).padStart(2, "0")}", ${n % 100})])
def test_parse_price_${n}(text, cents):
    assert parse_price(text) == cents


@pytest.mark.parametrize("count", [1, 2, 3])
@pytest.mark.parametrize("sku", ["SKU3", "SKU7"])
def test_take_${n}(inventory, sku, count):
    assert inventory.take(sku, count) == int(sku[3:]) - count


def test_roundtrip_${n}(inventory, tmp_path):
    path = tmp_path / "stock.json"
    inventory.save(path)
    assert Inventory.load(path).value() == inventory.value()


def test_saved_records_${n}(inventory, tmp_path):
    path = tmp_path / "stock.json"
    inventory.save(path)
    records = json.loads(path.read_text())
    assert len(records) == 10 and records[0]["sku"] == "SKU0"


def test_report_${n}(tmp_path, catalog):
    report = tmp_path / "reports" / "catalog.txt"
    report.parent.mkdir()
    report.write_text("\\n".join(f"{sku}={cents}" for sku, cents in sorted(catalog.items())))
    assert len(report.read_text().splitlines()) == 50 and catalog["SKU49"] == 4949


def test_many_files_${n}(tmp_path):
    for i in range(5):
        (tmp_path / f"part{i}.txt").write_text(str(i) * i)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"part{i}.txt" for i in range(5)]
    assert sum(p.stat().st_size for p in tmp_path.iterdir()) == 10


def test_ledger_value_${n}(inventory, ledger):
    ledger.append(("value", inventory.value()))
    assert ledger[0][1] == 4785


def test_ledger_take_${n}(inventory, ledger):
    ledger.append(("take", inventory.take("SKU9", 4)))
    assert ledger == [("take", 5)]


def test_duplicate_sku_${n}(inventory):
    with pytest.raises(KeyError):
        inventory.add(Item("SKU1", "again", 1))


def test_warehouse_size_${n}(warehouse):
    assert len(warehouse.items) == 100


def test_warehouse_value_${n}(warehouse, settings):
    assert warehouse.value() == 524750 and settings["tax_percent"] == 20
`;
}

export function generateRealisticSuite(dir: string): GeneratedSuite {
  freshDir(dir);
  const files: Record<string, string> = {
    "pytest.ini": "[pytest]\n",
    "conftest.py": ROOT_CONFTEST,
    "shop/__init__.py": "from .inventory import Inventory, Item, parse_price\n",
    "shop/inventory.py": INVENTORY,
  };
  for (let pkg = 0; pkg < PACKAGES; pkg++) {
    files[`tests_${pkg}/__init__.py`] = "";
    files[`tests_${pkg}/conftest.py`] = packageConftest(pkg);
    for (let file = 0; file < FILES_PER_PACKAGE; file++) files[`tests_${pkg}/test_shop_${pkg}_${file}.py`] = testFile(pkg, file);
  }
  writeFiles(dir, files);
  const tests = PACKAGES * FILES_PER_PACKAGE * TESTS_PER_FILE;
  return {
    tests,
    description: `${tests} tests in ${PACKAGES * FILES_PER_PACKAGE} files of ${PACKAGES} packages over an application package: fixtures of every scope (function, class, module, package, session), yield teardowns, stacked parametrize, tmp_path file I/O, two levels of conftest`,
  };
}
