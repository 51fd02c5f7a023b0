# A conftest.py at the root puts this folder on sys.path (pytest's default
# "prepend" import mode), so tests can import src_calc.
