def clamp(x, low, high):
    if x < low:
        return low
    if x > high:
        return high
    return x


def parse(text):
    try:
        return int(text)
    except ValueError:
        return None
    finally:
        pass


def countdown(n):
    out = []
    while n > 0:
        out.append(n)
        n -= 1
    else:
        out.append("go")
    return out


def never_called():
    return 42


def read_first(path):
    with open(path) as handle:
        return handle.readline()


def kind(value):
    match value:
        case int():
            return "int"
        case str():
            return "str"
    return "other"
