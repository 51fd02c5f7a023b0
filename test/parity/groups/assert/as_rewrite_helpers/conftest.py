# feature: assert.rewrite
import pytest

pytest.register_assert_rewrite("asrw_registered_helper")
