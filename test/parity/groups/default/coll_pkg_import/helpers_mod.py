# feature: collection.ids, collection.conftest
VALUE = 3
