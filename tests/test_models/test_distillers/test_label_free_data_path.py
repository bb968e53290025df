"""The label-free step goes through the wrapper's one data path."""
import copy

import pytest
import torch
from mmengine.registry import MODELS, init_default_scope
from mmseg.structures import SegDataSample

from mmllie.models import get_enhancer
from mmllie.testing.hosts import HOSTS, MODEL_FNS

SIZES = [(37, 45), (29, 52), (40, 33)]  # padded to 64×64 (size_divisor 32)


class _Scale(torch.nn.Module):
    """A deterministic darkening (the same dark twin whatever the shape)."""

    def forward(self, x, generator=None):
        return x * 0.2


def _model(**wrapper):
    init_default_scope('mmseg')
    host = dict(HOSTS['mmseg'], size_divisor=32)
    model = MODELS.build(
        dict(
            type='mmllie.LabelFreeDistiller',
            recognizer=MODEL_FNS['mmseg'](dict(
                type='mmllie.GlobalPixelwiseEnhancer',
                host=host,
                enhancer=dict(type='GPLLIE'),
                **wrapper))))
    model.darkening = _Scale()
    model.train()
    g = torch.Generator().manual_seed(0)
    with torch.no_grad():  # GEM starts at gains 1: make it see the image
        for param in get_enhancer(model).gem.parameters():
            param.add_(torch.randn(param.shape, generator=g) * 0.1)
    return model


def _data(sizes=SIZES, seed=0):
    g = torch.Generator().manual_seed(seed)
    inputs, samples = [], []
    for h, w in sizes:
        img = torch.rand(3, h, w, generator=g) * 200 + 40
        # a bright gradient: the padding (0) would pull the mean down
        inputs.append(img.to(torch.uint8))
        samples.append(
            SegDataSample(metainfo=dict(img_shape=(h, w), ori_shape=(h, w))))
    return dict(inputs=inputs, data_samples=samples)


def _gem_gains(model, data):
    gains = []
    gem = get_enhancer(model).gem
    handle = gem.register_forward_hook(
        lambda m, i, out: gains.append(out.detach()))
    try:
        batch = model.preprocess_train(copy.deepcopy(data))
    finally:
        handle.remove()
    return torch.cat(gains), batch


def test_padding_host_gives_gem_the_unpadded_gains():
    model = _model()
    pre = model.data_preprocessor
    padded, batch = _gem_gains(model, _data())
    assert batch['inputs'].shape[-2:] == (64, 64)  # the host padded
    # reference: each image alone, no padding at all
    pre.host.size_divisor = 1
    data = _data()
    alone = torch.cat([
        _gem_gains(model, dict(inputs=[img], data_samples=[sample]))[0]
        for img, sample in zip(data['inputs'], data['data_samples'])
    ])
    assert torch.allclose(padded, alone, rtol=1e-5, atol=1e-6)
    # what GEM would see on the whole padded batch is different
    pre.host.size_divisor = 32
    host_out = pre.host(copy.deepcopy(_data()), True)['inputs']
    whole = get_enhancer(model).gem(model.darkening(pre.to_unit(host_out)))
    assert not torch.allclose(whole, alone, rtol=1e-2)
    # the pad stays the host's pad value in both inputs
    h, w = SIZES[0]
    pad = batch['inputs'][0, :, h:]
    assert torch.equal(pad, batch['day_inputs'][0, :, h:])


def test_every_wrapper_feature_in_the_label_free_step():
    model = _model(exposure_augment=(2., 2.), channels_last=True)
    pre = model.data_preprocessor
    enhancer = get_enhancer(model)
    seen = {}
    enhancer.register_forward_pre_hook(
        lambda m, args: seen.setdefault('enhancer_in', args[0].detach()))

    def record_format(module, args):
        seen.setdefault('formats', []).append(
            args[0].is_contiguous(memory_format=torch.channels_last))

    model.backbone.register_forward_pre_hook(record_format)
    pre.keep_enhanced = True
    data = _data(sizes=[(32, 32), (32, 32)])
    batch = model.preprocess_train(copy.deepcopy(data))
    # exposure_augment on the dark twin: clip(x^2.2 · 2)^(1/2.2)
    day = pre.to_unit(batch['day_inputs'])
    linear = (day.clamp(0, 1) * 0.2).pow(2.2) * 2
    expected = linear.clamp(0, 1).pow(1 / 2.2)
    assert torch.allclose(seen['enhancer_in'], expected, atol=1e-5)
    # keep_enhanced: the batch the recognizer sees, in [0, 1] RGB
    assert torch.allclose(pre.last_enhanced, pre.to_unit(batch['inputs']))
    # channels_last reaches the recognizer, for the target and the pred
    model(**batch, mode='loss')
    assert seen['formats'] == [True, True]
    # input checks
    grey = dict(data, inputs=[torch.zeros(1, 32, 32, dtype=torch.uint8)] * 2)
    with pytest.raises(ValueError, match='3-channel image'):
        model.preprocess_train(grey)
    nan = dict(data, inputs=[torch.full((3, 32, 32), float('nan'))] * 2)
    with pytest.raises(ValueError, match='NaN or Inf'):
        model.preprocess_train(nan)
    # output check
    with torch.no_grad():
        next(enhancer.parameters()).fill_(float('nan'))
    with pytest.raises(FloatingPointError, match='NaN or Inf'):
        model.preprocess_train(copy.deepcopy(data))
