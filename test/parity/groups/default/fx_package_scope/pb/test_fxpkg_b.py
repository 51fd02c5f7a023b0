def test_b1(pkg_resource):
    assert pkg_resource >= 1


def test_b2(pkg_resource):
    assert pkg_resource == 99
