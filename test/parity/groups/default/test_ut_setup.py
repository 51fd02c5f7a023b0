# feature: kinds.unittest
import unittest

log = []


def setUpModule():
    log.append("setUpModule")


def tearDownModule():
    log.append("tearDownModule")


class TestSetup(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        log.append("setUpClass")

    @classmethod
    def tearDownClass(cls):
        log.append("tearDownClass")

    def setUp(self):
        log.append("setUp")

    def tearDown(self):
        log.append("tearDown")

    def test_a(self):
        assert log == ["setUpModule", "setUpClass", "setUp"]

    def test_b(self):
        assert log[-1] == "setUp"
        assert log.count("setUp") == 2


class TestAfter(unittest.TestCase):
    def test_order(self):
        assert "tearDownClass" in log
