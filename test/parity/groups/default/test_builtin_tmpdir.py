# feature: builtins.tmp
def test_tmpdir_join(tmpdir):
    f = tmpdir.join("x.txt")
    f.write("data")
    assert f.read() == "data"


def test_tmpdir_str(tmpdir):
    assert str(tmpdir)


def test_tmpdir_check(tmpdir):
    assert tmpdir.check(dir=1)
