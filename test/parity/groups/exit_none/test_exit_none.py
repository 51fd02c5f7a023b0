# feature: output.exitcodes
def helper():
    pass
