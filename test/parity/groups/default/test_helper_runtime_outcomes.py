# feature: helpers.outcomes
import pytest


def test_skip():
    pytest.skip("skipped at run time")


def test_fail():
    pytest.fail("failed on purpose")


def test_fail_no_trace():
    pytest.fail("short", pytrace=False)


def test_xfail():
    pytest.xfail("xfailed at run time")


def test_importorskip_missing():
    pytest.importorskip("no_such_module_anywhere")


def test_importorskip_present():
    mod = pytest.importorskip("json")
    assert mod.dumps(1) == "1"


def test_importorskip_reason():
    pytest.importorskip("no_such_module_either", reason="custom reason")



def test_skip_exception_type():
    with pytest.raises(pytest.skip.Exception):
        pytest.skip("caught")


def test_fail_exception_type():
    with pytest.raises(pytest.fail.Exception):
        pytest.fail("caught")
