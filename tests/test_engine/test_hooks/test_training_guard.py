"""The frozen guarantee and the NaN stop hold without a config line:
a child config's ``custom_hooks`` replaces the inherited list."""
import os
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from mmllie.engine.hooks import FreezeRecognizerHook
from mmllie.engine.train_cfg import add_freeze_hook
from mmllie.models import get_enhancer
from mmllie.testing.hosts import build_runner, recognizer_checkpoint

CKPT_EVERY_ITER = dict(
    checkpoint=dict(type='CheckpointHook', interval=1, by_epoch=False))


def _recognizer(model):
    enhancer = {id(p) for p in get_enhancer(model).parameters()}
    return {
        k: v.clone()
        for k, v in model.named_parameters() if id(v) not in enhancer
    }


def test_training_without_the_hook_is_refused(tmp_path):
    ckpt, before = recognizer_checkpoint('mmseg', tmp_path)
    runner = build_runner(
        'mmseg', tmp_path, max_iters=2, load_from=ckpt, custom_hooks=[])
    with pytest.raises(
            RuntimeError,
            match='recognizer is not frozen.*'
            'FreezeRecognizerHook.*train_recognizer=True'):
        runner.train()
    after = runner.model.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)


def test_joint_training_on_purpose(tmp_path):
    runner = build_runner('mmseg', tmp_path, max_iters=2, custom_hooks=[])
    runner.model.data_preprocessor.train_recognizer = True
    before = _recognizer(runner.model)
    runner.train()
    after = _recognizer(runner.model)
    assert any(not torch.equal(before[k], after[k]) for k in before)


def test_train_tool_adds_a_dropped_hook():
    pre = dict(type='mmllie.GlobalPixelwiseEnhancer', host=dict(type='X'))
    cfg = Config(
        dict(
            model=dict(data_preprocessor=pre),
            custom_hooks=[dict(type='EMAHook')]))
    assert add_freeze_hook(cfg)
    assert cfg.custom_hooks[-1] == dict(type='mmllie.FreezeRecognizerHook')
    assert not add_freeze_hook(cfg)  # once
    cfg = Config(dict(model=dict(data_preprocessor=dict(pre, enhancer=None))))
    assert not add_freeze_hook(cfg) and not cfg.get('custom_hooks')
    # joint training: the hook is there to say so (it freezes nothing)
    cfg = Config(
        dict(model=dict(data_preprocessor=dict(pre, train_recognizer=True))))
    assert add_freeze_hook(cfg)


def test_nan_loss_stops_training_and_saves_nothing_bad(tmp_path):
    # Adam with lr=1e6: the enhancer's weights explode after one update
    runner = build_runner(
        'mmseg',
        tmp_path,
        max_iters=6,
        optim_wrapper=dict(optimizer=dict(type='Adam', lr=1e6)),
        default_hooks=CKPT_EVERY_ITER)
    with pytest.raises(FloatingPointError, match=r'at iteration \d'):
        runner.train()
    assert runner.iter < 6
    saved = [f for f in os.listdir(tmp_path) if f.endswith('.pth')]
    for name in saved:
        sd = torch.load(osp.join(tmp_path, name))['state_dict']
        assert all(
            torch.isfinite(v).all() for v in sd.values()
            if v.is_floating_point()), name


def test_non_finite_checkpoint_is_never_written(tmp_path):
    runner = build_runner('mmseg', tmp_path, max_iters=1)
    hook = FreezeRecognizerHook()
    bad = dict(state_dict={'a.w': torch.tensor([1.0, float('nan')])})
    with pytest.raises(FloatingPointError, match=r"NaN or Inf \(\['a.w'\]"):
        hook.before_save_checkpoint(runner, bad)
