# feature: kinds.subtests
def test_all_pass(subtests):
    for i in range(3):
        with subtests.test(msg="loop", i=i):
            assert i < 3


def test_some_fail(subtests):
    for i in range(3):
        with subtests.test(i=i):
            assert i != 1


def test_no_subtests(subtests):
    pass
