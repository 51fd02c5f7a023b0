# feature: kinds.unittest
import unittest


class TestAssertMessages(unittest.TestCase):
    def test_almost_equal(self):
        self.assertAlmostEqual(1.0, 1.1)

    def test_raises_regex(self):
        with self.assertRaisesRegex(ValueError, "needle"):
            raise ValueError("haystack")

    def test_list_equal(self):
        self.assertListEqual([1, 2], [1, 3])

    def test_is_none(self):
        self.assertIsNone(0)

    def test_count_equal(self):
        self.assertCountEqual([1, 1, 2], [1, 2, 2])

    def test_multiline(self):
        self.assertMultiLineEqual("a\nb\n", "a\nc\n")

    def test_warns(self):
        import warnings

        with self.assertWarns(UserWarning):
            warnings.warn("w", UserWarning)

    def test_logs(self):
        import logging

        with self.assertLogs("parity.ut", level="INFO") as cm:
            logging.getLogger("parity.ut").info("hello")
        self.assertEqual(cm.output, ["INFO:parity.ut:hello"])
