# feature: collection.parametrize-ids
import pytest


@pytest.mark.parametrize("s", ["", "a", "hello world", "a/b", "ünï", "tab\there", "new\nline", "x::y", "[br]"])
def test_strings(s):
    assert "a" not in s
