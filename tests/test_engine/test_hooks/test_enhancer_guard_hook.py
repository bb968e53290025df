"""EnhancerGuardHook and ``tools/test.py --guard``.

A user's config (inheriting the synthetic night recipe, the shipped day
recognizer frozen) trains GEM + PAM for 2 iterations on 4 generated night
scenes with the guard hook; its three numbers must equal separate
``tools/test.py`` runs, and a deliberately broken enhancer must warn.
"""
import json
import os.path as osp
import re

import pytest

from mmllie.benchmarks.synthetic_night import RECOGNIZER
from mmllie.datasets import generate_synthetic_city
from mmllie.datasets.nightcity_convert import convert_nightcity_labels
from mmllie.testing.tools import run_tool

pytestmark = pytest.mark.slow

REPO = osp.dirname(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
BASE = osp.join(
    REPO, 'configs', 'synthetic', 'gpllie_deeplabv3plus-r18-tiny_1xb8-300_'
    'synthetic-night-64x128.py')
USER_CFG = """_base_ = [{base!r}]
data_root = {root!r}
train_dataloader = dict(batch_size=2, dataset=dict(data_root=data_root))
val_dataloader = dict(batch_size=2, dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
load_from = {ckpt!r}
model = dict(data_preprocessor=dict(enhancer={enhancer}))
optim_wrapper = dict(optimizer=dict(lr={lr}))
train_cfg = dict(max_iters=2, val_interval=2)
default_hooks = dict(checkpoint=dict(interval=2))
randomness = dict(seed=0)
custom_hooks = [
    dict(type='mmllie.FreezeRecognizerHook'),
    dict(type='mmllie.EnhancerGuardHook'),
]
"""


def _miou(out: str) -> float:
    return float(re.findall(r'mIoU: ([0-9.]+)', out)[-1])


def _train(tmp, name: str, enhancer: str, lr: float) -> tuple:
    cfg = tmp / f'{name}.py'
    cfg.write_text(
        USER_CFG.format(
            base=BASE,
            root=str(tmp / 'night'),
            ckpt=RECOGNIZER,
            enhancer=enhancer,
            lr=lr))
    work = str(tmp / name)
    out = run_tool('tools/train.py', str(cfg), '--work-dir', work)
    with open(osp.join(work, 'enhancer_guard.json')) as f:
        return str(cfg), work, out, json.load(f)


@pytest.fixture(scope='module')
def data(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('guard')
    generate_synthetic_city(
        str(tmp / 'night'),
        num_train=4,
        num_val=4,
        img_size=(64, 128),
        night_level='hard',
        show_progress=False)
    convert_nightcity_labels(str(tmp / 'night' / 'NightCity-label' / 'label'))
    return tmp


def test_guard_equals_separate_test_runs(data):
    cfg, work, out, guard = _train(data, 'ok', "dict(type='GPLLIE')", 5e-4)
    values = guard['values']
    assert guard['metric'] == 'mIoU'
    assert set(values) == {'no enhancer', 'starting state', 'trained'}
    assert 'EnhancerGuard (mIoU): no enhancer:' in out
    assert osp.isfile(osp.join(work, 'enhancer_start.pth'))
    ckpt = osp.join(work, 'iter_2.pth')
    trained = _miou(run_tool('tools/test.py', cfg, ckpt, '--work-dir', work))
    # no enhancer: the same user config, the wrapper as a pass-through
    plain = data / 'plain.py'
    plain.write_text(f'_base_ = [{cfg!r}]\n'
                     'model = dict(data_preprocessor=dict(enhancer=None))\n'
                     'custom_hooks = []\n')
    # (the checkpoint's enhancer weights have no place in it: --partial-load)
    none = _miou(
        run_tool('tools/test.py', str(plain), ckpt, '--work-dir', work,
                 '--partial-load'))
    assert values['trained'] == pytest.approx(trained, abs=1e-6)
    assert values['no enhancer'] == pytest.approx(none, abs=1e-6)
    # the default start is the identity: exactly the no-enhancer number
    assert values['starting state'] == values['no enhancer']
    # tools/test.py --guard: the same three numbers, in its own work dir
    test_dir = str(data / 'ok_test')
    run_tool('tools/test.py', cfg, ckpt, '--work-dir', test_dir, '--guard')
    with open(osp.join(test_dir, 'enhancer_guard.json')) as f:
        assert json.load(f)['values'] == pytest.approx(values, abs=1e-6)


def test_warning_for_a_broken_enhancer(data):
    # a GEM stuck at gain 0.001 (lr 0): black images, worse than nothing
    broken = ("dict(type='GPLLIE', use_pam=False, gem=dict("
              "exposure_prior='none', init_gain=1e-3))")
    _, _, out, guard = _train(data, 'broken', broken, 0.0)
    assert guard['worse_than_no_enhancer'] is True
    assert guard['values']['trained'] < guard['values']['no enhancer']
    assert 'WARNING' in out and 'WORSE than no enhancer' in out
