# feature: kinds.doctest, builtins.misc
import pytest


@pytest.fixture(autouse=True)
def add_names(doctest_namespace):
    doctest_namespace["injected"] = 42
