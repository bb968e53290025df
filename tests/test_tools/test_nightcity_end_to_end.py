"""NightCity end to end, run as a user types it.

A fixture in the release layout (labelIds) → the converter → a user config
OUTSIDE the repository with ``_base_ = 'mmllie::nightcity_deeplabv3plus_
gpllie.py'`` → ``tools/train.py`` → ``tools/test.py`` (mIoU, ``--show-dir``);
``--resume``; ``tools/dist_train.sh`` / ``dist_test.sh`` with 2 CPU
processes (gloo); a missing data root. Every tool runs as a subprocess from
the repository root. The frozen recognizer is a randomly initialised
DeepLabV3+ MobileNetV2 saved by the test: nothing is downloaded.
"""
import os
import os.path as osp
import re
import shutil

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmengine.runner import save_checkpoint

from mmllie.registry import MODELS
from mmllie.testing.nightcity import make_nightcity
from mmllie.testing.tools import (ENHANCER, assert_recognizer_frozen,
                                  checkpoint_state, run_tool)

pytestmark = pytest.mark.slow

USER_CONFIG = """\
_base_ = 'mmllie::nightcity_deeplabv3plus_gpllie.py'
crop_size = (64, 128)
model = dict(data_preprocessor=dict(host=dict(size=crop_size)))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='RandomResize', scale=(128, 64), ratio_range=(0.5, 2.0),
         keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackSegInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(128, 64), keep_ratio=True),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs')
]
train_dataloader = dict(
    batch_size=2, num_workers=0, persistent_workers=False,
    dataset=dict(data_root={root!r}, pipeline=train_pipeline))
val_dataloader = dict(
    num_workers=0, persistent_workers=False,
    dataset=dict(data_root={root!r}, pipeline=test_pipeline))
test_dataloader = val_dataloader
train_cfg = dict(max_iters=4, val_interval=2)
default_hooks = dict(checkpoint=dict(interval=2), logger=dict(interval=1))
load_from = {ckpt!r}
randomness = dict(seed=0, deterministic=True)
"""


class Env:
    """Paths shared by the tests and a runner for the tools."""

    def __init__(self, base):
        self.base = str(base)
        self.root = osp.join(self.base, 'NightCity')
        self.recognizer = osp.join(self.base, 'recognizer.pth')
        self.config = osp.join(self.base,
                               'my_nightcity.py')  # outside the checkout
        self.torch_home = osp.join(self.base, 'torch_home')
        # any weight download attempt fails fast, and no cached weights
        self.env = dict(
            TORCH_HOME=self.torch_home,
            **{
                k: 'http://127.0.0.1:9'
                for k in ('http_proxy', 'https_proxy', 'HTTP_PROXY',
                          'HTTPS_PROXY')
            })

    def run(self, script, *args, ok=True):
        return run_tool(script, *args, ok=ok, env=self.env, timeout=300)

    def train(self, work_dir, *args, ok=True):
        return self.run(
            'tools/train.py',
            self.config,
            '--work-dir',
            work_dir,
            *args,
            ok=ok)

    def test(self, checkpoint, work_dir, *args):
        return self.run('tools/test.py', self.config, checkpoint, '--work-dir',
                        work_dir, *args)


def iou_results(log):
    """The last per-class table and ``aAcc/mIoU/mAcc`` line of a log."""
    table = log.rsplit('per class results:', 1)[1]
    rows = [r for r in table.splitlines() if r.startswith('|')]
    summary = re.findall(r'aAcc: ([\d.]+)\s+mIoU: ([\d.]+)\s+mAcc: ([\d.]+)',
                         log)
    assert len(rows) == 20 and summary, log[-3000:]
    return rows, summary[-1]


def assert_same(a, b, prefix=ENHANCER):
    a, b = checkpoint_state(a, prefix), checkpoint_state(b, prefix)
    assert a.keys() == b.keys() and len(a) > 50
    diff = [k for k in a if not torch.equal(a[k], b[k])]
    assert not diff, diff[:5]


@pytest.fixture(scope='module')
def env(tmp_path_factory):
    env = Env(tmp_path_factory.mktemp('nightcity_e2e'))
    make_nightcity(env.root, splits=(('train', 4), ('val', 2)), size=(64, 128))
    out = env.run('tools/dataset_converters/nightcity.py', env.root)
    assert 'converted 8, skipped 0' in out  # train, val and val_plus
    with open(env.config, 'w') as f:
        f.write(USER_CONFIG.format(root=env.root, ckpt=env.recognizer))
    # a "Cityscapes-trained" recognizer: this DeepLabV3+, randomly
    # initialised, saved without the enhancer as mmseg's checkpoints are
    cfg = Config.fromfile(env.config)
    with DefaultScope.overwrite_default_scope('mmseg'):
        torch.manual_seed(0)
        model = MODELS.build(cfg.model)
        model.init_weights()
    env.recognizer_sd = {
        k: v
        for k, v in model.state_dict().items() if not k.startswith(ENHANCER)
    }
    save_checkpoint(dict(state_dict=env.recognizer_sd), env.recognizer)
    yield env
    shutil.rmtree(env.base, ignore_errors=True)  # ~0.5 GB of checkpoints


@pytest.fixture(scope='module')
def run_a(env):
    """An uninterrupted 4-iteration run (val and checkpoints every 2)."""
    work_dir = osp.join(env.base, 'a')
    log = env.train(work_dir)
    assert f'Load checkpoint from {env.recognizer}' in log
    assert 'Iter(train) [4/4]' in log
    return work_dir, log


def test_convert_train_test_show_dir(env, run_a):
    work_dir, train_log = run_a
    ckpt = osp.join(work_dir, 'iter_4.pth')
    assert_recognizer_frozen(ckpt, env.recognizer_sd)
    assert not osp.exists(env.torch_home)  # no weights fetched or cached
    show_dir = osp.join(env.base, 'show')
    log = env.test(ckpt, osp.join(env.base, 'test_a'), '--show-dir', show_dir)
    # the test tool's mIoU is the training run's last validation
    assert iou_results(log) == iou_results(train_log)
    assert float(iou_results(log)[1][1]) > 0
    stems = ['Chicago_0000', 'Chicago_0001']
    preds = os.listdir(osp.join(show_dir, 'vis_data', 'vis_image'))
    assert sorted(preds) == [f'test_{s}.png_0.png' for s in stems]
    assert sorted(os.listdir(osp.join(
        show_dir, 'enhanced'))) == [f'{s}.png' for s in stems]


def test_resume_ends_like_an_uninterrupted_run(env, run_a):
    a = run_a[0]
    b = osp.join(env.base, 'b')
    # a job script that always passes --resume: the first run finds no
    # checkpoint and must start from load_from (the recognizer)
    log = env.train(b, '--resume', '--cfg-options', 'train_cfg.max_iters=2')
    assert 'no checkpoint in' in log and 'Iter(train) [2/2]' in log
    assert not osp.exists(osp.join(b, 'iter_4.pth'))
    assert_same(osp.join(a, 'iter_2.pth'), osp.join(b, 'iter_2.pth'), '')
    log = env.train(b, '--resume')
    assert 'resumed epoch: 0, iter: 2' in log
    assert 'Iter(train) [3/4]' in log and 'Iter(train) [1/4]' not in log
    assert_same(osp.join(a, 'iter_4.pth'), osp.join(b, 'iter_4.pth'))
    assert_recognizer_frozen(osp.join(b, 'iter_4.pth'), env.recognizer_sd)
    # not vacuous: the enhancer did change between the two checkpoints
    with pytest.raises(AssertionError):
        assert_same(osp.join(a, 'iter_2.pth'), osp.join(a, 'iter_4.pth'))


def test_distributed_matches_single_process(env):
    d = osp.join(env.base, 'd')
    gloo = ['--cfg-options', 'env_cfg.dist_cfg.backend=gloo']
    log = env.run('tools/dist_train.sh', env.config, 2, '--work-dir', d, *gloo)
    assert 'Iter(train) [4/4]' in log
    ckpt = osp.join(d, 'iter_4.pth')
    assert_recognizer_frozen(ckpt, env.recognizer_sd)
    dist_val = iou_results(log)  # 2 ranks, one val image each
    single = iou_results(env.test(ckpt, osp.join(env.base, 'test_d')))
    log = env.run('tools/dist_test.sh', env.config, ckpt, 2, '--work-dir',
                  osp.join(env.base, 'dist_test_d'), *gloo)
    assert iou_results(log) == single == dist_val


def test_missing_data_root_names_dir_and_layout(env):
    missing = osp.join(env.base, 'NoSuchNightCity')
    log = env.train(
        osp.join(env.base, 'missing'),
        '--cfg-options',
        f'train_dataloader.dataset.data_root={missing}',
        ok=False)
    assert f"NightCity root directory '{missing}' does not exist" in log
    assert 'NightCity-images/images/{train,val}' in log
    assert '_trainIds.png' in log


def test_unknown_mmllie_base_is_named(tmp_path):
    cfg = tmp_path / 'bad.py'
    cfg.write_text("_base_ = 'mmllie::nightcity_no_such_config.py'\n")
    with pytest.raises(FileNotFoundError, match='nightcity_no_such_config'):
        Config.fromfile(str(cfg))
