# feature: output.tb
def test_locals():
    number = 42
    text = "hello"
    items = [1, 2, 3]
    assert number == text
def compute(alpha, beta):
    gamma = alpha + beta
    assert gamma == 0


def test_helper_locals():
    compute(1, 2)
