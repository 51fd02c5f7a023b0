# feature: collection.ids
class Base:
    value = 1

    def test_value(self):
        assert self.value == 1


class TestChildOk(Base):
    pass


class TestChildBad(Base):
    value = 2


class TestOverride(Base):
    def test_value(self):
        assert self.value == 1

    def test_extra(self):
        pass
