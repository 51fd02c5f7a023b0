import random


class TestStack:
    def test_pop(self, stack):
        assert stack.pop() == 2
        assert len(stack) == 1

    def test_push(self, stack):
        stack.push(3)
        assert len(stack) == 3

    def test_random_is_seeded(self):
        # The same seed gives the same numbers: rerun with --seed to repeat.
        assert 0 <= random.random() < 1


def test_output(capsys):
    print("hello from a test")
    assert capsys.readouterr().out == "hello from a test\n"
