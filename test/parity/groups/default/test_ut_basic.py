# feature: kinds.unittest
import unittest


class TestBasic(unittest.TestCase):
    def test_pass(self):
        self.assertEqual(1, 1)

    def test_fail_equal(self):
        self.assertEqual(1, 2)

    def test_fail_true(self):
        self.assertTrue(False, "not true")

    def test_error(self):
        raise KeyError("k")

    def test_plain_assert(self):
        x = 1
        assert x == 2

    def test_assert_in(self):
        self.assertIn(3, [1, 2])

    def test_assert_raises(self):
        with self.assertRaises(ValueError):
            int("x")

    def test_dict_equal(self):
        self.assertDictEqual({"a": 1}, {"a": 2})

    def helper(self):
        raise AssertionError
