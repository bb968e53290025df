import copy
import os.path as osp

import pytest
import torch
from mmengine.hooks import Hook

from mmllie.models import get_enhancer
from mmllie.testing.hosts import build_runner as _runner
from mmllie.testing.hosts import \
    recognizer_checkpoint as _recognizer_checkpoint
from mmllie.testing.tools import recognizer_part


def _recognizer_state(model):
    return {
        k: v.clone()
        for k, v in recognizer_part(model.state_dict()).items()
    }


@pytest.mark.parametrize('scope', ['mmseg', 'mmpose', 'mmpretrain'])
def test_enhancer_trains_recognizer_frozen(scope, tmp_path):
    ckpt, before = _recognizer_checkpoint(scope, tmp_path)
    runner = _runner(scope, tmp_path, load_from=ckpt)
    model = runner.model
    enhancer = get_enhancer(model)
    enhancer_before = copy.deepcopy(enhancer.state_dict())
    got_grad = {}
    for name, p in enhancer.named_parameters():
        got_grad[name] = False
        p.register_hook(lambda g, n=name: got_grad.__setitem__(
            n, got_grad[n] or bool(g.abs().sum() > 0)))
    modes = []
    runner.register_hook(_ModeProbe(modes), priority='LOWEST')
    runner.train()

    after = _recognizer_state(model)
    assert before.keys() == after.keys()
    for key in before:  # weights AND BN running stats, bit-identical
        assert torch.equal(before[key], after[key]), key
    assert all(got_grad.values()), [k for k, v in got_grad.items() if not v]
    for key, value in enhancer.state_dict().items():
        if value.is_floating_point():
            assert not torch.equal(value, enhancer_before[key]), key
    # recognizer in eval, enhancer in train, at every iteration
    assert modes == [(False, True)] * 3
    # the optimizer only knows enhancer parameters
    enhancer_ids = {id(p) for p in enhancer.parameters()}
    params = [
        p for g in runner.optim_wrapper.optimizer.param_groups
        for p in g['params']
    ]
    assert {id(p) for p in params} == enhancer_ids
    assert all(
        id(p) in enhancer_ids for p in runner.optim_wrapper.optimizer.state)
    log = open(osp.join(runner.log_dir, f'{runner.timestamp}.log')).read()
    assert 'FreezeRecognizerHook: 577,963 trainable' in log
    assert 'frozen recognizer parameters' in log


class _ModeProbe(Hook):
    """Records (any recognizer module training, enhancer training)."""

    def __init__(self, modes):
        self.modes = modes

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        model = runner.model
        enhancer = get_enhancer(model)
        ids = {id(m) for m in enhancer.modules()}
        recog = any(m.training for m in model.modules()
                    if id(m) not in ids and m is not model)
        self.modes.append((recog, enhancer.training))


def test_hook_needs_an_enhancer(tmp_path):
    runner = _runner('mmseg', tmp_path)
    runner.model.data_preprocessor.enhancer = None
    with pytest.raises(RuntimeError, match=r'no enhancer \(enhancer=None\)'):
        runner.train()
