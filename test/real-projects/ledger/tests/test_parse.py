import unittest
from decimal import Decimal

from ledger.parse import parse_amount


class ParseAmountTest(unittest.TestCase):
    cases = {
        "12": Decimal("12"),
        "1,234.50": Decimal("1234.50"),
        "(7.25)": Decimal("-7.25"),
        " 3 ": Decimal("3"),
    }

    def test_cases(self):
        for text, expected in self.cases.items():
            with self.subTest(text=text):
                self.assertEqual(parse_amount(text), expected)

    def test_bad_inputs(self):
        for text in ("", "abc", "1.2.3", "(5"):
            with self.subTest(msg="bad input", text=text):
                with self.assertRaises(ValueError):
                    parse_amount(text)


@unittest.skipIf(Decimal("1") == 1, "Decimal compares equal to int here")
class OddPlatformTest(unittest.TestCase):
    def test_never(self):
        pass


if __name__ == "__main__":
    unittest.main()
