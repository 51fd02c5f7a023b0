# feature: marks.xfail
import pytest


@pytest.mark.xfail
def test_bare_fails():
    assert 0


@pytest.mark.xfail(reason="known bug")
def test_reason_fails():
    raise ValueError("bug")


@pytest.mark.xfail(reason="passes anyway")
def test_xpass():
    pass


@pytest.mark.xfail(strict=True, reason="strict")
def test_strict_xpass():
    pass


@pytest.mark.xfail(raises=ZeroDivisionError)
def test_raises_matching():
    1 / 0


@pytest.mark.xfail(raises=ZeroDivisionError)
def test_raises_other():
    raise KeyError("other")


@pytest.mark.xfail(raises=(KeyError, IndexError), reason="tuple")
def test_raises_tuple():
    [][1]


@pytest.mark.xfail(run=False, reason="not run")
def test_not_run():
    raise SystemExit


@pytest.mark.xfail(False, reason="condition false")
def test_condition_false():
    assert 0


@pytest.mark.xfail("1 == 1", reason="string condition")
def test_condition_string():
    assert 0
