# feature: builtins.recwarn
import warnings


def test_recwarn(recwarn):
    warnings.warn("first", UserWarning)
    warnings.warn("second", DeprecationWarning)
    assert len(recwarn) == 2
    assert str(recwarn[0].message) == "first"


def test_pop(recwarn):
    warnings.warn("popped", RuntimeWarning)
    w = recwarn.pop(RuntimeWarning)
    assert issubclass(w.category, RuntimeWarning)
    assert len(recwarn) == 0


def test_clear(recwarn):
    warnings.warn("x")
    recwarn.clear()
    assert len(recwarn) == 0


def test_list(recwarn):
    warnings.warn("listed")
    assert [str(w.message) for w in recwarn.list] == ["listed"]


def test_pop_missing(recwarn):
    recwarn.pop(DeprecationWarning)
