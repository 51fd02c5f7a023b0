"""Double-entry bookkeeping, the unittest way."""

from decimal import Decimal


class UnbalancedEntry(ValueError):
    pass


class Ledger:
    def __init__(self):
        self.accounts = {}

    def post(self, lines):
        total = sum((amount for _, amount in lines), Decimal(0))
        if total != 0:
            raise UnbalancedEntry(f"entry is off by {total}")
        for account, amount in lines:
            self.accounts[account] = self.accounts.get(account, Decimal(0)) + amount

    def balance(self, account):
        return self.accounts.get(account, Decimal(0))
