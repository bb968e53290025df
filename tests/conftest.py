import os.path as osp
import sys

# make tests/hosts.py importable as `hosts` from every test folder
sys.path.insert(0, osp.dirname(osp.abspath(__file__)))

import mmllie  # noqa: E402,F401  (CPU-stack import fixes first)
