def test_conftest_assert_is_rewritten(checker):
    checker(-1)
