# feature: kinds.unittest, kinds.subtests
import unittest


class TestSub(unittest.TestCase):
    def test_all_pass(self):
        for i in range(3):
            with self.subTest(i=i):
                self.assertLess(i, 5)

    def test_some_fail(self):
        for i in range(4):
            with self.subTest(i=i):
                self.assertEqual(i % 2, 0)

    def test_msg(self):
        with self.subTest("named"):
            self.fail("inside named subtest")
