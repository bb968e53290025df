"""Test-only configs under ``tools/dist_test.sh`` with 2 CPU processes.

One representative per host, chosen for what can break only there: the
plain recognizer (``enhancer=None``) in mmseg's NightCity config, and an
exported enhancer (``PretrainedEnhancer``, loaded at the first forward on
every rank) in mmpose's ExLPose config. The other test-only configs differ
from these in one of the two and are built by ``test_config_tree.py``.
Run from a work directory holding ``data/`` as the configs expect it.
"""
import os
import os.path as osp
import socket
import subprocess
import sys

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import MODELS, DefaultScope
from mmengine.runner import save_checkpoint

from mmllie.datasets.nightcity_convert import convert_nightcity_labels
from mmllie.models.enhancers import ZeroDCE
from mmllie.testing.exlpose import make_exlpose
from mmllie.testing.nightcity import make_nightcity

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _free_port() -> str:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return str(s.getsockname()[1])


def _recognizer(config: str, out: str) -> str:
    """Randomly initialised recognizer weights (what load_from gives)."""
    cfg = Config.fromfile(config)
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        model = MODELS.build(cfg.model)
    state = {
        k: v
        for k, v in model.state_dict().items()
        if not k.startswith('data_preprocessor.')
    }
    save_checkpoint(dict(state_dict=state), out)
    return out


def _dist_test(work: str, config: str, checkpoint: str) -> str:
    # dist_test.sh runs `python`: this interpreter's
    path = osp.dirname(sys.executable) + os.pathsep + os.environ['PATH']
    env = dict(os.environ, PATH=path, PORT=_free_port(), OMP_NUM_THREADS='1')
    proc = subprocess.run([
        'bash',
        osp.join(REPO, 'tools', 'dist_test.sh'), config, checkpoint, '2',
        '--work-dir', 'work', '--cfg-options', 'env_cfg.dist_cfg.backend=gloo',
        'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False'
    ],
                          cwd=work,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=600)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-4000:]
    return log


@pytest.fixture(scope='module')
def work(tmp_path_factory):
    work = str(tmp_path_factory.mktemp('dist_test'))
    make_nightcity(osp.join(work, 'data', 'NightCity'), size=(64, 128))
    convert_nightcity_labels(
        osp.join(work, 'data', 'NightCity', 'NightCity-label', 'label'))
    make_exlpose(osp.join(work, 'data', 'ExLPose'))
    return work


def test_no_enhancer_nightcity(work):
    config = osp.join(REPO, 'configs',
                      'nightcity_deeplabv3plus_no-enhancer.py')
    ckpt = _recognizer(config, osp.join(work, 'deeplabv3plus.pth'))
    log = _dist_test(work, config, ckpt)
    assert 'mIoU' in log.rsplit('per class results:', 1)[1]


def test_pretrained_enhancer_exlpose(work):
    config = osp.join(REPO, 'configs',
                      'exlpose_td-hm-hrnet-w32_zero-dce-unsupervised.py')
    ckpt = _recognizer(config, osp.join(work, 'hrnet.pth'))
    # the export tools/model_converters/export_enhancer.py writes, where
    # the config looks for it (relative to the working directory)
    torch.manual_seed(0)
    enhancer = ZeroDCE()
    out = osp.join(work, 'work_dirs', 'zero-dce_unsupervised_exlpose')
    os.makedirs(out)
    save_checkpoint(
        dict(
            state_dict=enhancer.state_dict(),
            meta=dict(enhancer_cfg=dict(type='ZeroDCE'))),
        osp.join(out, 'zero_dce.pth'))
    log = _dist_test(work, config, ckpt)
    for subset in ('LL-N', 'LL-H', 'LL-E', 'LL-A'):
        assert f'{subset}/coco/AP:' in log
