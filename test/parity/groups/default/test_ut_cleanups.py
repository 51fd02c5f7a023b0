# feature: kinds.unittest
import unittest

order = []


class TestCleanups(unittest.TestCase):
    def setUp(self):
        self.addCleanup(order.append, "cleanup1")
        self.addCleanup(order.append, "cleanup2")

    def tearDown(self):
        order.append("tearDown")

    def test_a(self):
        pass


class TestOrder(unittest.TestCase):
    def test_order(self):
        self.assertEqual(order, ["tearDown", "cleanup2", "cleanup1"])


class TestClassCleanup(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.addClassCleanup(order.append, "class cleanup")

    def test_b(self):
        pass


class TestNoTests(unittest.TestCase):
    def helper(self):
        pass


class TestInheritsTests(TestOrder):
    pass
