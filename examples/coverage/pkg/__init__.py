"""A small package."""
VERSION = "1.0"
