"""GlobalPixelwiseEnhancer hands the recognizer its fastest layout."""
import copy

import pytest
import torch
from mmengine.registry import MODELS, init_default_scope

from mmllie.testing.hosts import HOSTS, make_sample


def _wrapper(**kwargs):
    init_default_scope('mmseg')
    return MODELS.build(
        dict(
            type='mmllie.GlobalPixelwiseEnhancer',
            host=HOSTS['mmseg'],
            enhancer=dict(type='GPLLIE'),
            train_recognizer=True,
            **kwargs))


def _batch():
    items = [make_sample('mmseg', 32, 48, i) for i in range(2)]
    return dict(
        inputs=[i for i, _ in items], data_samples=[s for _, s in items])


@pytest.mark.parametrize(
    'layout, channels_last',
    [
        (None, True),
        (dict(cpu='contiguous'), False),
        (dict(cpu='channels_last'), True),
        (dict(cuda='contiguous'), True),  # not this device: enhancer's layout
    ])
def test_layout_by_device_type(layout, channels_last):
    kwargs = {} if layout is None else dict(recognizer_layout=layout)
    wrapper = _wrapper(channels_last=True, **kwargs)
    plain = _wrapper(recognizer_layout=dict(cpu='contiguous'))
    plain.load_state_dict(wrapper.state_dict())
    data = _batch()
    out = wrapper(copy.deepcopy(data))['inputs']
    ref = plain(copy.deepcopy(data))['inputs']
    assert out.is_contiguous(
        memory_format=torch.channels_last) == channels_last
    assert ref.is_contiguous()
    torch.testing.assert_close(out, ref, atol=1e-4, rtol=1e-4)


def test_contiguous_on_cuda_by_default():
    assert _wrapper().recognizer_layout == dict(cuda=torch.contiguous_format)


def test_bad_layout():
    with pytest.raises(ValueError, match="cpu='nhwc'"):
        _wrapper(recognizer_layout=dict(cpu='nhwc'))
