"""Re-exports :mod:`mmllie.testing.exlpose` (old import name)."""
from mmllie.testing import exlpose as _module
from mmllie.testing.exlpose import *  # noqa: F401,F403


def __getattr__(name: str):
    return getattr(_module, name)
