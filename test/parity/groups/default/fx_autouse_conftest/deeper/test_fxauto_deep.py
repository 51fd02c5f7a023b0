def test_deep(request):
    assert "deeper_mod" in request.fixturenames


def test_deep_marker(request):
    assert request.node.user_marker == "unset"
