"""Re-exports :mod:`mmllie.testing.nightcity` (old import name)."""
from mmllie.testing import nightcity as _module
from mmllie.testing.nightcity import *  # noqa: F401,F403


def __getattr__(name: str):
    return getattr(_module, name)
