# feature: kinds.unittest, kinds.async
import unittest


class TestAsync(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.value = 1

    async def test_ok(self):
        self.assertEqual(self.value, 1)

    async def test_fail(self):
        self.assertEqual(self.value, 2)
