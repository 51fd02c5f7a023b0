# feature: collection.errors
import no_such_module_for_parity  # noqa: F401


def test_never():
    pass
