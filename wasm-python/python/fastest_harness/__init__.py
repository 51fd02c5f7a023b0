"""fastest's Python-side harness: pytest-compatible collection, fixtures,
assertion rewriting and reporting, plain stdlib, CPython 3.11+.

The engine drives it through :mod:`fastest_harness.api`; ``python -m
fastest_harness`` runs it natively and prints the same events as JSON lines.
"""

from .version import __version__

__all__ = ["__version__"]
