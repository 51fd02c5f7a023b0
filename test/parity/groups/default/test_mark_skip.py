# feature: marks.skip
import sys

import pytest


@pytest.mark.skip
def test_bare():
    pass


@pytest.mark.skip(reason="with a reason")
def test_reason():
    pass


@pytest.mark.skip("positional reason")
def test_positional():
    pass


@pytest.mark.skipif(True, reason="always")
def test_skipif_true():
    pass


@pytest.mark.skipif(False, reason="never")
def test_skipif_false():
    pass


@pytest.mark.skipif(sys.version_info < (3, 0), reason="old python")
def test_skipif_version():
    pass


@pytest.mark.skipif("sys.platform == 'nonexistent'")
def test_skipif_string_false():
    pass


@pytest.mark.skipif("1 + 1 == 2")
def test_skipif_string_true():
    pass
