# feature: collection.ids
class TestOuter:
    def test_outer(self):
        pass

    class TestInner:
        def test_inner(self):
            pass

        class TestDeep:
            def test_deep(self):
                assert 0
