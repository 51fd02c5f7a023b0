"""Shapes and their areas."""
import math


class Shape:
    """Base class."""

    def area(self):
        raise NotImplementedError

    def describe(self):  # pragma: no cover
        return f"{type(self).__name__} with area {self.area():.2f}"


class Circle(Shape):
    def __init__(self, radius):
        if radius < 0:
            raise ValueError("negative radius")
        self.radius = radius

    def area(self):
        return math.pi * self.radius ** 2


class Rect(Shape):
    def __init__(self, w, h):
        self.w, self.h = w, h

    def area(self):
        return self.w * self.h

    def is_square(self):
        return self.w == self.h


def total_area(shapes):
    total = 0
    for shape in shapes:
        total += shape.area()
    return total


def largest(shapes):
    best = None
    for shape in shapes:
        if best is None or shape.area() > best.area():
            best = shape
    return best


def classify(n):
    if n < 0:
        return "negative"
    elif n == 0:
        return "zero"
    kinds = {
        "even": n % 2 == 0,
        "big": n > 100,
    }
    return [k for k, v in kinds.items() if v]
