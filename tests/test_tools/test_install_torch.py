"""tools/install_torch.sh against fake package indexes (no real torch).

A fake "PyPI" serves ``torch==X`` (which, like PyPI's CUDA build, needs
another package) and ``torchvision==Y``; a fake "CPU index" serves
``torch==X+cpu`` / ``torchvision==Y+cpu``. pip's own configuration
(find-links, indexes) is switched off, so only these are seen.
"""
import os
import os.path as osp
import re
import subprocess
import sys
import zipfile
from typing import Tuple

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.install]

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
LOCK = osp.join(REPO, 'requirements', 'cpu.lock.txt')


def _pin(name: str) -> str:
    with open(LOCK) as f:
        return re.search(rf'^{name}==([^\s#]+)', f.read(), re.M).group(1)


TORCH, TORCHVISION = _pin('torch'), _pin('torchvision')


def _wheel(index: str, name: str, version: str, requires=()) -> None:
    """A pure-Python stub wheel in a PEP 503 ``file://`` index."""
    files = osp.join(index, 'files')
    os.makedirs(files, exist_ok=True)
    dist = name.replace('-', '_')
    whl = f'{dist}-{version}-py3-none-any.whl'
    info = f'{dist}-{version}.dist-info'
    meta = f'Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n'
    meta += ''.join(f'Requires-Dist: {r}\n' for r in requires)
    with zipfile.ZipFile(osp.join(files, whl), 'w') as z:
        z.writestr(f'{dist}_stub.py', '')
        z.writestr(f'{info}/METADATA', meta)
        z.writestr(
            f'{info}/WHEEL', 'Wheel-Version: 1.0\nGenerator: test\n'
            'Root-Is-Purelib: true\nTag: py3-none-any\n')
        z.writestr(f'{info}/RECORD', '')
    page = osp.join(index, 'simple', name)
    os.makedirs(page, exist_ok=True)
    links = ''
    for f in sorted(os.listdir(files)):
        if f.startswith(f'{dist}-'):
            links += f'<a href="../../files/{f}">{f}</a>\n'
    with open(osp.join(page, 'index.html'), 'w') as f:
        f.write(f'<html><body>\n{links}</body></html>\n')


@pytest.fixture(scope='module')
def indexes(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('indexes')
    pypi, cpu, cpu_torch_only = (
        str(tmp / n) for n in ('pypi', 'cpu', 'cpu-torch'))
    _wheel(pypi, 'torch', TORCH, requires=['nvidia-stub-runtime'])
    _wheel(pypi, 'nvidia-stub-runtime', '1.0')
    _wheel(pypi, 'torchvision', TORCHVISION)
    for index in (cpu, cpu_torch_only):
        _wheel(index, 'torch', f'{TORCH}+cpu')
    _wheel(cpu, 'torchvision', f'{TORCHVISION}+cpu')
    return dict(pypi=pypi, cpu=cpu, cpu_torch_only=cpu_torch_only)


@pytest.fixture(scope='module')
def _venv(tmp_path_factory):
    path = str(tmp_path_factory.mktemp('install_torch') / 'venv')
    subprocess.run([sys.executable, '-m', 'venv', path], check=True)
    return path


@pytest.fixture
def venv(_venv):
    """One virtualenv (venv creation is the slow part), emptied per test."""
    subprocess.run([
        f'{_venv}/bin/python', '-m', 'pip', 'uninstall', '-y', '-q', 'torch',
        'torchvision', 'nvidia-stub-runtime'
    ],
                   check=True,
                   capture_output=True)
    return _venv


def _install(venv: str, pypi: str, torch_index: str) -> Tuple[str, str]:
    """Run the script; return its output and ``pip freeze`` of the venv."""
    env = dict(
        os.environ,
        PIP_CONFIG_FILE=os.devnull,  # no find-links / indexes of this host
        PIP_INDEX_URL=f'file://{pypi}/simple',
        MMLLIE_TORCH_INDEX=torch_index)
    for key in ('PIP_FIND_LINKS', 'PIP_EXTRA_INDEX_URL', 'PIP_CONSTRAINT',
                'PIP_NO_INDEX'):
        env.pop(key, None)
    proc = subprocess.run(['bash', 'tools/install_torch.sh', venv],
                          cwd=REPO,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    freeze = subprocess.run([f'{venv}/bin/python', '-m', 'pip', 'freeze'],
                            capture_output=True,
                            text=True,
                            check=True).stdout
    return proc.stdout, freeze


def test_pypi_only(indexes, venv):
    """The CPU index does not answer: PyPI's torch with its dependencies."""
    out, freeze = _install(venv, indexes['pypi'], 'http://127.0.0.1:9/cpu')
    assert 'no CPU build of torch' in out
    assert f'torch=={TORCH}\n' in freeze
    assert f'torchvision=={TORCHVISION}\n' in freeze
    assert 'nvidia-stub-runtime==1.0' in freeze  # installed with its deps


def test_cpu_index(indexes, venv):
    """PyTorch's CPU index reachable: both CPU builds, no CUDA package."""
    _, freeze = _install(venv, indexes['pypi'],
                         f'file://{indexes["cpu"]}/simple')
    assert f'torch=={TORCH}+cpu' in freeze
    assert f'torchvision=={TORCHVISION}+cpu' in freeze
    assert 'nvidia' not in freeze


def test_cpu_torch_only(indexes, venv):
    """A CPU torch but no CPU torchvision (this project's machines)."""
    _, freeze = _install(venv, indexes['pypi'],
                         f'file://{indexes["cpu_torch_only"]}/simple')
    assert f'torch=={TORCH}+cpu' in freeze
    assert f'torchvision=={TORCHVISION}\n' in freeze
    assert 'nvidia' not in freeze
