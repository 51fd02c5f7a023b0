import pytest

import textkit


@pytest.fixture(autouse=True)
def add_kit(doctest_namespace):
    doctest_namespace["kit"] = textkit
