# feature: kinds.unittest
import unittest

import pytest


class Base(unittest.TestCase):
    def test_inherited(self):
        self.assertTrue(hasattr(self, "flag"))


class TestChild(Base):
    flag = True


class TestParametrizeNotApplied(unittest.TestCase):
    def test_fail_is_fail(self):
        self.fail("explicit fail")

    def test_skip_in_setup(self):
        pass

    def setUp(self):
        if self._testMethodName == "test_skip_in_setup":
            self.skipTest("skipped in setUp")


class TestPytestRaisesInside(unittest.TestCase):
    def test_raises(self):
        with pytest.raises(ZeroDivisionError):
            1 / 0

    def test_approx(self):
        assert 0.1 + 0.2 == pytest.approx(0.3)
