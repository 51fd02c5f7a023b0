# feature: collection.skipped
import pytest

test_value = 3
test_lambda = lambda: None  # noqa: E731


class TestHasNoTests:
    x = 1


def test_real():
    pass


@pytest.fixture
def test_named_like_a_test():
    return 1
