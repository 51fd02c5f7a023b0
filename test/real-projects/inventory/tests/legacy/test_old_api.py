from inventory.legacy import Warehouse  # removed in 1.0; kept for reference


def test_warehouse():
    assert Warehouse().empty()
