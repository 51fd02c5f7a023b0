# feature: collection.discovery
def it_logs_in():
    pass
