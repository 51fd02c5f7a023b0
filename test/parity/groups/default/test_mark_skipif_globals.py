# feature: marks.skip
import pytest

FLAG = True
LIMIT = 3


@pytest.mark.skipif("FLAG", reason="module flag set")
def test_module_global():
    pass


@pytest.mark.skipif("LIMIT > 5", reason="limit")
def test_not_skipped():
    assert LIMIT == 4


@pytest.mark.skipif(False, reason="first")
@pytest.mark.skipif(True, reason="second")
def test_multiple_conditions():
    pass


@pytest.mark.skipif("config.getoption('verbose') == 0", reason="quiet run")
def test_config_in_condition():
    pass


@pytest.mark.skipif("undefined_name", reason="bad")
def test_condition_error():
    pass
