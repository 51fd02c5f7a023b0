# feature: collection.errors, collection.conftest
raise ImportError("conftest cannot import")
