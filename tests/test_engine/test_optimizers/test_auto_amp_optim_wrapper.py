"""AutoAmpOptimWrapper: AMP on CUDA, float32 on CPU, from one config."""
import pytest
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.optim import AmpOptimWrapper, OptimWrapper, build_optim_wrapper

import mmllie  # noqa: F401
from mmllie.engine.optimizers import amp_dtype

CFG = dict(
    type='mmllie.AutoAmpOptimWrapper', optimizer=dict(type='Adam', lr=1e-3))


@pytest.mark.skipif(torch.cuda.is_available(), reason='the CPU fallback')
def test_plain_optim_wrapper_on_cpu():
    model = nn.Linear(4, 2)
    wrapper = build_optim_wrapper(model, dict(CFG))
    assert type(wrapper) is OptimWrapper
    before = model.weight.detach().clone()
    with wrapper.optim_context(model):
        loss = model(torch.ones(3, 4)).square().sum()
    assert loss.dtype == torch.float32
    wrapper.update_params(loss)
    assert not torch.equal(model.weight, before)


def test_bad_dtype_fails_everywhere():
    with pytest.raises(ValueError, match='dtype must be one of'):
        build_optim_wrapper(nn.Linear(2, 2), dict(CFG, dtype='float8'))
    with pytest.raises(ValueError, match='dtype must be one of'):
        amp_dtype('half')


def test_explicit_dtype_kept():
    assert amp_dtype('float16') == 'float16'
    assert amp_dtype('bfloat16') == 'bfloat16'


def test_shipped_schedule_uses_it():
    cfg = Config.fromfile(
        'configs/segmentation/gpllie_deeplabv3plus-mbv2-d8_1xb8-10k_'
        'nightcity-512x1024.py')
    assert cfg.optim_wrapper.type == 'mmllie.AutoAmpOptimWrapper'


@pytest.mark.skipif(
    not torch.cuda.is_available(), reason='needs a CUDA device')
def test_amp_on_cuda():
    model = nn.Linear(4, 2).cuda()
    wrapper = build_optim_wrapper(model, dict(CFG))
    assert isinstance(wrapper, AmpOptimWrapper)
    expected = torch.bfloat16 if torch.cuda.is_bf16_supported() \
        else torch.float16
    assert wrapper.cast_dtype == expected
    with wrapper.optim_context(model):
        out = model(torch.ones(3, 4, device='cuda'))
    assert out.dtype == expected
