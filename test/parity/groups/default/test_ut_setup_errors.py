# feature: kinds.unittest, fixtures.errors
import unittest


class TestSetUpFails(unittest.TestCase):
    def setUp(self):
        raise RuntimeError("setUp broke")

    def test_a(self):
        pass


class TestTearDownFails(unittest.TestCase):
    def tearDown(self):
        raise RuntimeError("tearDown broke")

    def test_b(self):
        pass


class TestSetUpClassFails(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        raise ValueError("setUpClass broke")

    def test_c(self):
        pass

    def test_d(self):
        pass


class TestCleanup(unittest.TestCase):
    def test_cleanup_fails(self):
        self.addCleanup(self.fail_cleanup)

    def fail_cleanup(self):
        raise OSError("cleanup broke")
