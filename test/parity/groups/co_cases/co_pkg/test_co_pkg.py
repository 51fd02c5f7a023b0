import unittest


class TestUT(unittest.TestCase):
    def test_ut(self):
        pass
