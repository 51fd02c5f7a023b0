from fx_package_scope.conftest import created


def test_a1(pkg_resource):
    assert pkg_resource == 1


def test_a2(pkg_resource):
    assert len(created) == 1
