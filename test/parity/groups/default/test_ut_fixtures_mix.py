# feature: kinds.unittest, fixtures.autouse
import unittest

import pytest


@pytest.fixture(scope="class")
def db_class(request):
    request.cls.db = "connected"


@pytest.mark.usefixtures("db_class")
class TestWithFixture(unittest.TestCase):
    def test_db(self):
        self.assertEqual(self.db, "connected")


class TestAutouse(unittest.TestCase):
    @pytest.fixture(autouse=True)
    def inject(self, tmp_path):
        self.tmp = tmp_path

    def test_tmp(self):
        self.assertTrue(self.tmp.is_dir())


class TestMarks(unittest.TestCase):
    @pytest.mark.skip(reason="pytest mark on unittest")
    def test_marked(self):
        pass

    @pytest.mark.xfail(reason="xfail on unittest")
    def test_xfail(self):
        self.assertEqual(1, 2)
