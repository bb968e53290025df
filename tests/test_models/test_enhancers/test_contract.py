"""One contract for every registered enhancer (as timm tests every model).

An enhancer is any class registered in mmllie's model registry from
``mmllie.models.enhancers`` (minus the few listed in :data:`NOT_ENHANCERS`):
it builds from its config in any host scope, maps (B, 3, H, W) RGB in
[0, 1] to the same shape at any H×W, passes gradients to every trainable
parameter, stays finite on black / white / noise, exports to ONNX with the
same outputs in ONNX Runtime, and loads from its own enhancer checkpoint.
A new enhancer gets all of it by being registered.
"""
import numpy as np
import pytest
import torch
from mmengine.registry import DefaultScope
from mmengine.runner import save_checkpoint

from mmllie.apis import load_enhancer
from mmllie.models.enhancers import build_enhancer
from mmllie.registry import MODELS

#: registered under mmllie.models.enhancers but not image → image
NOT_ENHANCERS = dict(
    GlobalEnhancementModule='a GPLLIE part: image → gains (B, 3)',
    ZeroDCEUnsupervised='a trainer (enhancer + its own loss), not a module '
    'in front of a recognizer',
    PretrainedEnhancer='made from another checkpoint file (its own tests)',
    DenoiserPretrainer='a trainer (enhancer + darkening + pixel loss), not '
    'a module in front of a recognizer')
#: enhancers whose ONNX graph cannot do what the module does
NOT_EXPORTABLE = dict(
    SmoothedGainGPLLIE='carries state across calls (video frames); export '
    'the GPLLIE inside it')
#: ONNX Runtime vs PyTorch, on [0, 1] images: a quarter of an 8-bit step
#: (ONNX's Resize and PyTorch's interpolate round differently)
ATOL = 1e-3
#: config arguments an enhancer cannot do without (or that switch on all of
#: its parts)
REQUIRED_ARGS = dict(
    EmbeddedEnhancer=dict(enhancer=dict(type='GPLLIE')),
    SmoothedGainGPLLIE=dict(enhancer=dict(type='GPLLIE')),
    NoiseAdaptiveSmoothing=dict(
        prior_index=3,
        guided=dict(),
        denoiser=dict(type='ResidualDenoiser', width=4)))

MODELS.import_from_location()
ENHANCERS = sorted(name for name, cls in MODELS.module_dict.items()
                   if cls.__module__.startswith('mmllie.models.enhancers.')
                   and name not in NOT_ENHANCERS)


def _cfg(name: str) -> dict:
    return dict(type=name, **REQUIRED_ARGS.get(name, {}))


def _build(name: str) -> torch.nn.Module:
    torch.manual_seed(0)
    enhancer = build_enhancer(_cfg(name))
    # non-trivial weights: zero-initialised heads (an identity start) would
    # hide what the rest of the network does
    with torch.no_grad():
        for param in enhancer.parameters():
            param.add_(torch.randn_like(param) * 0.02)
    return enhancer


def _reset(enhancer: torch.nn.Module) -> None:
    if hasattr(enhancer, 'reset'):  # stateful over video frames
        enhancer.reset()


def test_every_enhancer_is_covered():
    assert {'GPLLIE', 'ZeroDCE', 'IALM', 'FixedGainGamma'} <= set(ENHANCERS)


@pytest.mark.parametrize('name', ENHANCERS)
@pytest.mark.parametrize('scope', ['mmseg', 'mmpose', 'mmpretrain', 'mmdet'])
def test_builds_from_config_in_any_scope(name, scope):
    with DefaultScope.overwrite_default_scope(scope):
        assert type(build_enhancer(_cfg(name))) is MODELS.get(name)


@pytest.mark.parametrize('name', ENHANCERS)
def test_any_size_and_gradients(name):
    enhancer = _build(name).train()
    g = torch.Generator().manual_seed(0)
    for h, w in [(7, 9), (37, 53), (64, 48)]:
        _reset(enhancer)
        x = (torch.rand(2, 3, h, w, generator=g) * 0.3).requires_grad_()
        out = enhancer(x)
        assert out.shape == x.shape, (h, w)
    enhancer.zero_grad()
    out.square().mean().backward()
    assert torch.isfinite(x.grad).all()
    for pname, param in enhancer.named_parameters():
        if param.requires_grad:
            assert param.grad is not None, f'{name}.{pname} gets no gradient'
            assert torch.isfinite(param.grad).all(), f'{name}.{pname}'


@pytest.mark.parametrize('name', ENHANCERS)
@pytest.mark.parametrize('image', ['black', 'white', 'noise'])
def test_finite_on_extreme_images(name, image):
    enhancer = _build(name)
    x = dict(
        black=torch.zeros(2, 3, 33, 35),
        white=torch.ones(2, 3, 33, 35),
        noise=torch.rand(
            2, 3, 33, 35, generator=torch.Generator().manual_seed(
                0)))[image].requires_grad_()
    for mode in (False, True):
        enhancer.train(mode)
        _reset(enhancer)
        out = enhancer(x)
        assert torch.isfinite(out).all(), (image, mode)
    out.mean().backward()
    assert torch.isfinite(x.grad).all()


@pytest.mark.parametrize('name',
                         [n for n in ENHANCERS if n not in NOT_EXPORTABLE])
def test_onnx_export_matches(name, tmp_path):
    ort = pytest.importorskip('onnxruntime')
    enhancer = _build(name).eval()
    path = str(tmp_path / f'{name}.onnx')
    g = torch.Generator().manual_seed(0)
    x = torch.rand(1, 3, 37, 53, generator=g) * 0.3
    _reset(enhancer)
    torch.onnx.export(
        enhancer, (x, ),
        path,
        dynamo=False,
        opset_version=17,
        input_names=['image'],
        output_names=['enhanced'],
        dynamic_axes=dict(
            image={
                0: 'batch',
                2: 'height',
                3: 'width'
            },
            enhanced={
                0: 'batch',
                2: 'height',
                3: 'width'
            }))
    session = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
    for shape in [(1, 3, 37, 53), (2, 3, 41, 67)]:
        x = torch.rand(*shape, generator=g) * 0.3
        _reset(enhancer)
        with torch.no_grad():
            expected = enhancer(x).numpy()
        got = session.run(None, {'image': x.numpy()})[0]
        assert got.shape == expected.shape
        np.testing.assert_allclose(got, expected, atol=ATOL, rtol=0)


@pytest.mark.parametrize('name', ENHANCERS)
def test_loads_its_own_checkpoint(name, tmp_path):
    enhancer = _build(name).eval()
    path = str(tmp_path / 'enhancer.pth')
    save_checkpoint(
        dict(
            state_dict=enhancer.state_dict(),
            meta=dict(enhancer_cfg=_cfg(name))), path)
    loaded = load_enhancer(path)
    assert type(loaded) is type(enhancer)
    x = torch.rand(2, 3, 29, 31, generator=torch.Generator().manual_seed(0))
    _reset(enhancer)
    with torch.no_grad():
        expected = enhancer(x)
        _reset(loaded)
        assert torch.equal(loaded(x), expected)
