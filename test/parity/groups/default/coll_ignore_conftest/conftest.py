# feature: collection.select, collection.conftest
collect_ignore = ["test_colign_ignored.py"]
collect_ignore_glob = ["*_globbed.py", "skipped_sub"]
