def test_has_marker(request):
    assert request.node.user_marker == "set"
