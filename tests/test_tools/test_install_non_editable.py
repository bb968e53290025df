"""mmllie works after a normal (non-editable) ``pip install .``.

A fresh virtualenv gets the pinned stack (``tools/install_torch.sh``, then
the lock with ``--no-deps``: wheels pip already has, ~1 min) and mmllie
built from a copy of this checkout. From a directory outside the checkout,
with no ``PYTHONPATH``: the package's own data (configs under ``.mim``, the
day recognizer) is found in site-packages, a user config inherits an
``mmllie::`` base, and the checkout's tool runs the quick main job on the
installed package.
"""
import json
import os
import os.path as osp
import shutil
import subprocess
import sys

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.install]

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
IGNORE = shutil.ignore_patterns('.git', '.venv', 'work_dirs', 'data', 'build',
                                'dist', '.mim', '*.egg-info', '__pycache__',
                                '.pytest_cache')
CHECK = """
import json, os, os.path as osp, sys
import mmllie
from mmengine.config import Config
from mmllie.benchmarks.synthetic_night import RECOGNIZER
from mmllie.utils.mim_config import get_config_path
cfg = Config.fromfile('my_config.py')
print(json.dumps(dict(
    mmllie=mmllie.__file__, recognizer=RECOGNIZER,
    recognizer_exists=osp.isfile(RECOGNIZER),
    base=get_config_path('mmllie::nightcity_deeplabv3plus_gpllie.py'),
    pose=Config.fromfile(get_config_path(
        'mmllie::pose/gpllie_td-hm-hrnet-w32_1xb8-10k_exlpose-256x192.py')
        ).model.data_preprocessor.type,
    mim=sorted(os.listdir(osp.join(osp.dirname(mmllie.__file__), '.mim'))),
    metafile=osp.isfile(osp.join(osp.dirname(mmllie.__file__), '.mim',
                                 'configs', 'segmentation', 'metafile.yml')),
    pre=cfg.model.data_preprocessor.type, load_from=cfg.load_from,
    enhancer=cfg.model.data_preprocessor.enhancer.type)))
"""


def _run(cmd, **kwargs) -> str:
    proc = subprocess.run(
        cmd, capture_output=True, text=True, timeout=900, **kwargs)
    assert proc.returncode == 0, (f'{cmd} failed:\n{proc.stdout[-3000:]}\n'
                                  f'{proc.stderr[-3000:]}')
    return proc.stdout


@pytest.fixture(scope='module')
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('non_editable')
    src, venv, outside = (str(tmp / n) for n in ('src', 'venv', 'outside'))
    shutil.copytree(REPO, src, ignore=IGNORE)
    os.makedirs(outside)
    env = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}
    env['MMLLIE_TORCH_INDEX'] = ''  # this host's pip config has the CPU torch
    _run([sys.executable, '-m', 'venv', venv])
    pip = [f'{venv}/bin/python', '-m', 'pip', '-q', 'install', '--no-deps']
    _run(['bash', f'{src}/tools/install_torch.sh', venv], env=env)
    _run(pip + ['-r', f'{src}/requirements/cpu.lock.txt'], env=env)
    _run(pip + ['--no-build-isolation', src], env=env, cwd=outside)
    shutil.rmtree(src)  # nothing may come from the copy it was built from
    env['OMP_NUM_THREADS'] = env.get('OMP_NUM_THREADS', '1')
    return venv, outside, env


def test_package_data(installed):
    venv, outside, env = installed
    with open(osp.join(outside, 'my_config.py'), 'w') as f:
        f.write("_base_ = 'mmllie::nightcity_deeplabv3plus_gpllie.py'\n"
                "load_from = '/data/deeplabv3plus_cityscapes.pth'\n")
    out = _run([f'{venv}/bin/python', '-c', CHECK], cwd=outside, env=env)
    info = json.loads(out.strip().splitlines()[-1])
    site = osp.join(venv, 'lib')
    for key in ('mmllie', 'recognizer', 'base'):
        assert info[key].startswith(site), (key, info[key])
    assert '/.mim/configs/' in info['base']
    # the task folders, their metafiles and the model index come along
    assert info['pose'] == 'mmllie.GlobalPixelwiseEnhancer'
    assert info['mim'] == ['configs', 'model-index.yml', 'tools']
    assert info['metafile']
    assert info['recognizer_exists']
    assert info['pre'] == 'mmllie.GlobalPixelwiseEnhancer'
    assert info['enhancer'] == 'GPLLIE'
    assert info['load_from'] == '/data/deeplabv3plus_cityscapes.pth'


def test_quick_benchmark_from_checkout_tool(installed):
    venv, outside, env = installed
    _run([
        f'{venv}/bin/python',
        osp.join(REPO, 'tools', 'synthetic_night_benchmark.py'), '--quick',
        '--settings', 'GEM + PAM', '--work-dir', 'work', '--data-root', 'data'
    ],
         cwd=outside,
         env=env)
    with open(osp.join(outside, 'work', 'results.json')) as f:
        results = json.load(f)
    assert results['recognizer'].startswith(osp.join(venv, 'lib'))
    names = [row['name'] for row in results['rows']]
    assert names[-1] == 'GEM + PAM' and len(names) == 3
    assert osp.isfile(osp.join(outside, 'work', 'figure.png'))
