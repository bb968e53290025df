import math

import pytest
import torch
import torch.nn.functional as F

from mmllie.models.losses import (ColorConstancyLoss, ExposureControlLoss,
                                  IlluminationSmoothnessLoss,
                                  SpatialConsistencyLoss, ZeroReferenceLoss)
from mmllie.registry import MODELS


def _official_spa(org, enh):
    """L_spa as written in the official Myloss.py (conv kernels)."""
    kernels = torch.tensor([[[0, 0, 0], [-1, 1, 0], [0, 0, 0]],
                            [[0, 0, 0], [0, 1, -1], [0, 0, 0]],
                            [[0, -1, 0], [0, 1, 0], [0, 0, 0]],
                            [[0, 0, 0], [0, 1, 0], [0, -1, 0]]],
                           dtype=org.dtype)[:, None]
    o = F.avg_pool2d(org.mean(1, keepdim=True), 4)
    e = F.avg_pool2d(enh.mean(1, keepdim=True), 4)
    d_o = F.conv2d(o, kernels, padding=1)
    d_e = F.conv2d(e, kernels, padding=1)
    return (d_o - d_e).pow(2).sum(1).mean()


def test_default_weights_are_official():
    weights = {
        m.loss_name: m.loss_weight
        for m in ZeroReferenceLoss().children()
    }
    assert weights == dict(
        loss_spa=1.0, loss_exp=10.0, loss_col=5.0, loss_tv=200.0)
    for name in ('SpatialConsistencyLoss', 'ExposureControlLoss',
                 'ColorConstancyLoss', 'IlluminationSmoothnessLoss',
                 'ZeroReferenceLoss'):
        assert MODELS.build(dict(type=f'mmllie.{name}')) is not None


def test_spatial_consistency_matches_official_code():
    torch.manual_seed(0)
    img, enh = torch.rand(2, 3, 37, 53), torch.rand(2, 3, 37, 53)
    loss = SpatialConsistencyLoss()(enh, img)
    torch.testing.assert_close(loss, _official_spa(img, enh))
    assert SpatialConsistencyLoss()(img, img) == 0
    with pytest.raises(ValueError, match='shapes differ'):
        SpatialConsistencyLoss()(enh, img[..., :32])
    with pytest.raises(ValueError, match='H, W >= 4'):
        SpatialConsistencyLoss()(enh[..., :3], img[..., :3])


def test_spatial_consistency_anchors_only_border_on_uniform_shift():
    # +c everywhere keeps every interior difference; only the zero-padded
    # border terms remain: c² per border side of each border region.
    img = torch.rand(1, 3, 32, 48) * 0.3
    c = 0.2
    h, w = 8, 12
    expected = c**2 * (2 * h + 2 * w) / (h * w)
    loss = SpatialConsistencyLoss(loss_weight=2.0)(img + c, img)
    assert loss.item() == pytest.approx(2 * expected, rel=1e-5)


def test_exposure_control_known_values():
    loss = ExposureControlLoss()
    assert loss(torch.full((2, 3, 37, 53), 0.6)).item() == pytest.approx(
        0.0, abs=1e-10)
    x = torch.full((1, 3, 32, 32), 0.2)
    assert loss(x).item() == pytest.approx(10 * 0.4**2, rel=1e-5)
    # only full 16×16 patches count: a 37×53 image uses its top-left 32×48
    y = torch.full((1, 3, 37, 53), 0.9)
    y[..., :32, :48] = 0.6
    assert loss(y).item() == pytest.approx(0.0, abs=1e-10)
    assert ExposureControlLoss(exposure_level=0.2)(x).item() == \
        pytest.approx(0.0, abs=1e-10)
    with pytest.raises(ValueError, match='H, W >= 16'):
        loss(torch.rand(1, 3, 15, 40))


def test_color_constancy_known_values_and_safe_gradient():
    loss = ColorConstancyLoss()
    grey = torch.rand(2, 1, 9, 11).expand(2, 3, 9, 11).clone()
    grey.requires_grad_(True)
    value = loss(grey)
    value.backward()
    assert value.item() == pytest.approx(0.0, abs=1e-7)
    assert torch.isfinite(grey.grad).all()
    x = torch.empty(1, 3, 4, 4)
    x[:, 0], x[:, 1], x[:, 2] = 0.5, 0.3, 0.3
    expected = 5 * math.sqrt(2 * 0.04**2)  # D_rg = D_rb = 0.04, D_gb = 0
    assert loss(x).item() == pytest.approx(expected, rel=1e-5)
    with pytest.raises(ValueError, match='3 channels'):
        loss(torch.rand(1, 4, 8, 8))


def test_illumination_smoothness_known_values():
    loss = IlluminationSmoothnessLoss(loss_weight=1.0)
    assert loss(torch.full((2, 24, 7, 9), 0.3)).item() == 0
    a = 0.1  # horizontal ramp of slope a: 2 a² (official normalisation)
    ramp = (torch.arange(9.) * a).expand(2, 24, 7, 9)
    assert loss(ramp).item() == pytest.approx(2 * 24 * a**2, rel=1e-5)
    assert torch.isfinite(loss(torch.rand(1, 24, 1, 1)))
    assert IlluminationSmoothnessLoss()(ramp).item() == pytest.approx(
        200 * 2 * 24 * a**2, rel=1e-5)


def test_zero_reference_loss_combines_the_four_terms():
    torch.manual_seed(0)
    img = torch.rand(2, 3, 32, 32) * 0.2
    enh = (img * 3).clamp(0, 1).requires_grad_(True)
    curves = torch.rand(2, 24, 32, 32).requires_grad_(True)
    losses = ZeroReferenceLoss()(enh, img, curves)
    assert losses['loss_spa'] == SpatialConsistencyLoss()(enh, img)
    assert losses['loss_exp'] == ExposureControlLoss()(enh)
    assert losses['loss_col'] == ColorConstancyLoss()(enh)
    assert losses['loss_tv'] == IlluminationSmoothnessLoss()(curves)
    sum(losses.values()).backward()
    assert enh.grad.abs().sum() > 0 and curves.grad.abs().sum() > 0
