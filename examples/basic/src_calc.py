"""A tiny module under test for the example suite."""


def add(a, b):
    return a + b


def divide(a, b):
    return a / b


class Stack:
    def __init__(self):
        self._items = []

    def push(self, item):
        self._items.append(item)

    def pop(self):
        return self._items.pop()

    def __len__(self):
        return len(self._items)
