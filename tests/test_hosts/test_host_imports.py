"""``import mmllie`` needs no host; each host is imported where used.

Each case runs in a fresh interpreter in which some hosts cannot be
imported (a ``sys.meta_path`` blocker, as if they were not installed).
"""
import subprocess
import sys

import pytest

BLOCK = '''
import sys
BLOCKED = {blocked!r}

class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in BLOCKED:
            raise ModuleNotFoundError(f'No module named {{name!r}}')

sys.meta_path.insert(0, Blocker())
'''
HOSTS = ('mmseg', 'mmpose', 'mmpretrain', 'mmdet')


def _run(blocked, code: str) -> str:
    proc = subprocess.run(
        [sys.executable, '-c',
         BLOCK.format(blocked=set(blocked)) + code],
        capture_output=True,
        text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def test_import_mmllie_imports_no_host():
    out = _run((), 'import mmllie\n'
               f'print(sorted(m for m in sys.modules if m in {HOSTS!r}))\n')
    assert out.strip() == '[]'


# only one host and what it needs itself (mmpose.models imports mmdet.utils)
@pytest.mark.parametrize('blocked,missing,works', [
    (('mmpose', 'mmpretrain', 'mmdet'), ('ExLPoseDataset', 'mmpose'), 'mmseg'),
    (('mmseg', 'mmpretrain'), ('NightCityDataset', 'mmseg'), 'mmpose'),
])
def test_one_host_installed(blocked, missing, works):
    name, host = missing
    out = _run(
        blocked, f'''
import mmllie
from mmengine.registry import DATASETS, MODELS, init_default_scope
mmllie.register_all_modules(init_default_scope=False)
init_default_scope({works!r})
host = dict(type={"'SegDataPreProcessor'" if works == 'mmseg' else
                  "'PoseDataPreprocessor'"}, mean=[0.] * 3, std=[1.] * 3)
pre = MODELS.build(dict(type='mmllie.GlobalPixelwiseEnhancer', host=host))
print(type(pre.host).__module__.split('.')[0])
try:
    DATASETS.build(dict(type='mmllie.{name}'))
except ImportError as e:
    print(e)
''')
    assert out.splitlines()[0] == works
    assert f'mmllie.{name} is built on {host}, which is not installed' in out
