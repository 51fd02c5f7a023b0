import pytest


@pytest.fixture(params=["plain", "bold"], ids=["plain", "bold"])
def style(request):
    return "" if request.param == "plain" else "\x1b[1m"
