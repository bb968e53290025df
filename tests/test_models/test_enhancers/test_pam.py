"""PixelwiseAdjustmentModule: upsampling modes of its decoder."""
import pytest
import torch

from mmllie.models.enhancers.pam import PixelwiseAdjustmentModule


def _checkerboard(f: torch.Tensor) -> float:
    """Energy of the period-2 pattern in the centre of a map."""
    c = f[..., 56:72, 56:72]
    sign = torch.ones(16, 16)
    sign[1::2] *= -1
    sign[:, 1::2] *= -1
    return float((c * sign).mean((-2, -1)).abs().max())


@pytest.mark.parametrize('upsample', ['deconv', 'bilinear'])
def test_starts_at_zero_for_any_size(upsample):
    pam = PixelwiseAdjustmentModule(upsample=upsample)
    assert pam(torch.rand(2, 3, 37, 53)).abs().max() == 0


def test_bilinear_decoder_leaves_no_checkerboard():
    """On a flat image a transposed-convolution decoder paints a period-2
    pattern; bilinear upsampling + convolution cannot."""
    torch.manual_seed(0)
    energy = {}
    for mode in ('deconv', 'bilinear'):
        pam = PixelwiseAdjustmentModule(upsample=mode).eval()
        torch.nn.init.normal_(pam.out_conv.weight)
        with torch.no_grad():
            energy[mode] = _checkerboard(pam(torch.full((1, 3, 128, 128), .3)))
    assert energy['deconv'] > 1e-4
    assert energy['bilinear'] < 1e-6


def test_unknown_upsample_mode():
    with pytest.raises(ValueError, match="'nearest'"):
        PixelwiseAdjustmentModule(upsample='nearest')
