"""FusedEnhancerRecognizer: the wrapper's data path as one plain module —
the same head outputs as the model's own preprocessor + ``mode='tensor'``."""
import pytest
import torch
from mmengine.registry import init_default_scope

from mmllie.models.fused_recognizer import FusedEnhancerRecognizer
from mmllie.registry import MODELS
from mmllie.testing.hosts import HOSTS, tiny_model


@pytest.fixture
def model():
    init_default_scope('mmpretrain')
    torch.manual_seed(0)
    model = MODELS.build(
        tiny_model(
            'mmpretrain',
            dict(
                type='mmllie.GlobalPixelwiseEnhancer',
                host=HOSTS['mmpretrain'],
                enhancer=dict(type='GPLLIE')))).eval()
    for p in model.data_preprocessor.enhancer.parameters():
        if not p.any():  # a non-identity enhancer
            p.data.normal_(0, 0.05)
    return model


@pytest.mark.parametrize('with_enhancer', [True, False])
def test_same_outputs_as_the_model(model, with_enhancer):
    bgr = torch.randint(0, 256, (2, 3, 37, 45), dtype=torch.uint8)
    pre = model.data_preprocessor
    if not with_enhancer:
        pre.enhancer, enhancer = None, pre.enhancer
    with torch.no_grad():
        inputs = pre(dict(inputs=list(bgr)), training=False)['inputs']
        expected = model(inputs, None, mode='tensor')
    if not with_enhancer:
        pre.enhancer = enhancer
    fused = FusedEnhancerRecognizer(model, with_enhancer=with_enhancer).eval()
    with torch.no_grad():
        got = fused(bgr.flip(1).float())  # RGB in [0, 255]
    torch.testing.assert_close(got, expected, atol=1e-4, rtol=1e-4)
    assert model.data_preprocessor.enhancer is not None  # not modified


def test_needs_the_wrapper(model):
    model.data_preprocessor = torch.nn.Identity()
    with pytest.raises(TypeError, match='GlobalPixelwiseEnhancer'):
        FusedEnhancerRecognizer(model)


def test_switched_off_enhancer_fuses_the_recognizer_alone(model):
    bgr = torch.randint(0, 256, (1, 3, 37, 45), dtype=torch.uint8)
    alone = FusedEnhancerRecognizer(model, with_enhancer=False).eval()
    model.data_preprocessor.set_enhancer_off()
    fused = FusedEnhancerRecognizer(model).eval()
    assert fused.enhancer is None
    with torch.no_grad():
        torch.testing.assert_close(
            fused(bgr.flip(1).float()), alone(bgr.flip(1).float()))
