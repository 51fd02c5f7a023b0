# feature: collection.discovery
def it_is_collected_in_a_folder():
    pass
