# feature: kinds.unittest
import unittest


class TestSkips(unittest.TestCase):
    @unittest.skip("decorated skip")
    def test_skip(self):
        pass

    @unittest.skipIf(True, "skipIf true")
    def test_skipif(self):
        pass

    @unittest.skipUnless(False, "skipUnless false")
    def test_skipunless(self):
        pass

    def test_skip_test(self):
        self.skipTest("skipTest called")

    @unittest.expectedFailure
    def test_expected_failure(self):
        self.assertEqual(1, 2)

    @unittest.expectedFailure
    def test_unexpected_success(self):
        pass


@unittest.skip("class skipped")
class TestSkippedClass(unittest.TestCase):
    def test_x(self):
        pass
