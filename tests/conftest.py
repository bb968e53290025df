import os.path as osp
import sys

import mmllie  # noqa: F401  (CPU-stack import fixes first)

# Test helpers live in mmllie.testing; tests/hosts.py, nightcity_fixture.py
# and exlpose_fixture.py re-export them for tests that import those names.
sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
