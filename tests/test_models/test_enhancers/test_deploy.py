"""The inference fast path changes no result beyond float rounding."""
import pytest
import torch
import torch.nn as nn

from mmllie.models.enhancers import (GPLLIE, PixelwiseAdjustmentModule,
                                     deploy_enhancer, fuse_conv_bn)
from mmllie.registry import MODELS


def trained_like_gpllie(seed: int = 0) -> GPLLIE:
    """GPLLIE in eval mode with non-trivial BN statistics and heads."""
    torch.manual_seed(seed)
    model = GPLLIE()
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.normal_(0, 0.2)
            m.running_var.uniform_(0.3, 3.0)
            nn.init.uniform_(m.weight, 0.5, 1.5)
            nn.init.normal_(m.bias, 0, 0.2)
    nn.init.normal_(model.gem.head.weight, std=0.1)
    nn.init.normal_(model.pam.out_conv.weight, std=0.1)
    return model.eval()


def count_bn(model: nn.Module) -> int:
    return sum(isinstance(m, nn.BatchNorm2d) for m in model.modules())


@pytest.mark.parametrize('shape', [(2, 3, 37, 53), (1, 3, 64, 48),
                                   (1, 3, 5, 7)])
def test_fused_equals_unfused(shape):
    model = trained_like_gpllie()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    x = torch.rand(shape) * 0.2
    fast = deploy_enhancer(model, channels_last=False)
    assert count_bn(model) == 12 and count_bn(fast) == 0
    with torch.no_grad():
        expected, got = model(x), fast(x)
    assert expected.abs().max() > 0.1  # PAM and GEM heads are active
    torch.testing.assert_close(got, expected, rtol=0, atol=1e-5)
    # the original is untouched; conv keys are kept, BN keys are gone
    for k, v in model.state_dict().items():
        assert torch.equal(v, before[k]), k
    fast_keys = set(fast.state_dict())
    assert 'pam.encoders.0.0.weight' in fast_keys
    assert 'pam.encoders.0.1.running_mean' not in fast_keys
    assert not any(p.requires_grad for p in fast.parameters())


def test_channels_last_same_values():
    model = trained_like_gpllie(1)
    fast = deploy_enhancer(model)
    assert fast.pam.encoders[0][0].weight.is_contiguous(
        memory_format=torch.channels_last)
    x = torch.rand(2, 3, 41, 67) * 0.2
    with torch.no_grad():
        expected = model(x)
        for inp in (x, x.contiguous(memory_format=torch.channels_last)):
            torch.testing.assert_close(fast(inp), expected, rtol=0, atol=1e-5)


@pytest.mark.parametrize('name', ['ZeroDCE', 'IALM'])
def test_deploy_any_enhancer(name):
    torch.manual_seed(0)
    model = MODELS.build(dict(type=f'mmllie.{name}')).eval()
    x = torch.rand(1, 3, 33, 45) * 0.3
    with torch.no_grad():
        torch.testing.assert_close(
            deploy_enhancer(model)(x), model(x), rtol=0, atol=1e-5)


def test_fuses_only_adjacent_pairs():
    torch.manual_seed(0)
    conv_relu_bn = nn.Sequential(
        nn.Conv2d(3, 4, 3), nn.ReLU(), nn.BatchNorm2d(4))
    up_bn = nn.Sequential(nn.ConvTranspose2d(3, 4, 2, 2), nn.BatchNorm2d(4))
    for seq in (conv_relu_bn, up_bn):
        nn.init.normal_(seq[-1].running_mean)
        nn.init.uniform_(seq[-1].running_var, 0.5, 2.0)
        seq.eval()
    x = torch.randn(1, 3, 9, 9)
    with torch.no_grad():
        expected = [conv_relu_bn(x), up_bn(x)]
        fuse_conv_bn(conv_relu_bn)
        fuse_conv_bn(up_bn)
        torch.testing.assert_close(conv_relu_bn(x), expected[0])
        torch.testing.assert_close(up_bn(x), expected[1])
    assert isinstance(conv_relu_bn[2], nn.BatchNorm2d)  # not adjacent
    assert isinstance(up_bn[1], nn.Identity)


def test_training_mode_bn_is_refused():
    with pytest.raises(ValueError, match='training mode'):
        fuse_conv_bn(GPLLIE().train())


def test_traced_pam_pads_every_size():
    # jit.trace / ONNX export record the pad, so a trace taken at a
    # multiple of 16 still runs at any other size >= 16
    torch.manual_seed(0)
    pam = PixelwiseAdjustmentModule().eval()
    nn.init.normal_(pam.out_conv.weight, std=0.1)
    with torch.no_grad():
        traced = torch.jit.trace(pam, torch.rand(1, 3, 32, 48))
        x = torch.rand(1, 3, 37, 53)
        torch.testing.assert_close(traced(x), pam(x))


@pytest.mark.parametrize('multiple', [8, 16])
@pytest.mark.parametrize('channels_last', [False, True])
def test_padded_widths_same_values(multiple, channels_last):
    from mmllie.models.enhancers import LightGPLLIE
    model = trained_like_gpllie(2)
    light = LightGPLLIE(pam_scale=2).eval()
    light.load_state_dict(model.state_dict())
    x = torch.rand(2, 3, 37, 53) * 0.2
    for m in (model, light):
        fast = deploy_enhancer(
            m, channels_last=channels_last, pad_channels=multiple)
        widths = [
            c.out_channels for c in fast.pam.modules()
            if isinstance(c, (nn.Conv2d, nn.ConvTranspose2d))
        ]
        assert widths[-1] == 3  # the map keeps its 3 channels
        assert all(w % multiple == 0 for w in widths[:-1]), widths
        assert 16 in widths  # 12 was padded
        with torch.no_grad():
            torch.testing.assert_close(fast(x), m(x), rtol=0, atol=1e-5)


def test_pad_needs_folded_bn_and_a_unet():
    from mmllie.models.enhancers import ZeroDCE, pad_unet_channels
    with pytest.raises(ValueError, match='fold it first'):
        pad_unet_channels(trained_like_gpllie().pam)
    with pytest.raises(ValueError, match='needs a PAM'):
        deploy_enhancer(ZeroDCE().eval(), pad_channels=8)


def test_deploy_dtype():
    fast = deploy_enhancer(trained_like_gpllie(), dtype=torch.bfloat16)
    assert all(p.dtype == torch.bfloat16 for p in fast.parameters())
    x = torch.rand(1, 3, 32, 48) * 0.2
    with torch.no_grad():
        out = fast(x.bfloat16())
        ref = trained_like_gpllie()(x)
    assert out.dtype == torch.bfloat16
    assert (out.float() - ref).norm() / ref.norm() < 2e-2


def test_cuda_graph_needs_a_cuda_example():
    from mmllie.models.enhancers import CUDAGraphModule
    with pytest.raises(ValueError, match='CUDA device'):
        CUDAGraphModule(trained_like_gpllie(), torch.rand(1, 3, 16, 16))


@pytest.mark.skipif(
    not torch.cuda.is_available(), reason='needs a CUDA device')
def test_cuda_graph_replays_the_model():
    from mmllie.models.enhancers import CUDAGraphModule
    model = deploy_enhancer(trained_like_gpllie()).cuda()
    x = torch.rand(2, 3, 64, 96, device='cuda') * 0.2
    graph = CUDAGraphModule(model, x)
    for _ in range(2):  # fresh inputs: the graph reads the new values
        x = torch.rand_like(x) * 0.2
        with torch.no_grad():
            torch.testing.assert_close(graph(x), model(x))
    with pytest.raises(ValueError, match='captured for'):
        graph(torch.rand(1, 3, 64, 96, device='cuda'))
