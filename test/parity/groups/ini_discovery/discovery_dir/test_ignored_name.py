# feature: collection.discovery
def it_is_not_collected():
    raise AssertionError
