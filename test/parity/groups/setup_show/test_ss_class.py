# feature: output.setup-show
import pytest


class TestC:
    @pytest.fixture(scope="class")
    def cls_fix(self):
        return 1

    def test_a(self, cls_fix):
        pass

    def test_b(self, cls_fix, tmp_path):
        pass
