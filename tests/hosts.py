"""Re-exports :mod:`mmllie.testing.hosts` (old import name)."""
from mmllie.testing import hosts as _module
from mmllie.testing.hosts import *  # noqa: F401,F403


def __getattr__(name: str):
    return getattr(_module, name)
