from asrw_plain_helper import check_equal_plain
from asrw_registered_helper import check_equal


def test_registered_helper():
    check_equal(1, 2)


def test_plain_helper_not_rewritten():
    check_equal_plain(1, 2)
