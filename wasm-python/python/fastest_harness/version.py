"""Version of the pytest-compatible API the shim provides."""

__version__ = "9.0.0-fastest"
version_tuple = (9, 0, 0, "fastest")
