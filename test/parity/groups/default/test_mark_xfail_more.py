# feature: marks.xfail
import pytest


@pytest.mark.xfail(raises=ValueError, strict=True, reason="strict with raises")
def test_strict_raises_ok():
    raise ValueError


@pytest.mark.xfail(reason="fixture errors count too")
def test_xfail_failed_assert_with_message():
    assert 1 == 2, "message"


@pytest.mark.xfail(reason="skip wins over xfail")
def test_skip_inside_xfail():
    pytest.skip("skipped inside")


@pytest.mark.xfail(reason="fail inside")
def test_pytest_fail_inside():
    pytest.fail("explicit")


@pytest.mark.xfail(True, reason="bool condition")
def test_bool_condition():
    assert 0


@pytest.mark.xfail(reason="first")
@pytest.mark.xfail(reason="second")
def test_two_marks():
    assert 0
