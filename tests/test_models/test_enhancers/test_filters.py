import torch
import torch.nn.functional as F

from mmllie.models.enhancers.filters import (box_mean, gaussian_kernel,
                                             mean_brightness, resize_bilinear,
                                             separable_filter)


def test_gaussian_kernel_is_normalised_symmetric_with_radius_3_sigma():
    k = gaussian_kernel(1.0)
    assert k.numel() == 7
    assert torch.isclose(k.sum(), torch.tensor(1.))
    assert torch.equal(k, k.flip(0))
    assert k.argmax() == 3


def test_separable_filter_equals_the_2d_convolution_inside_the_border():
    torch.manual_seed(0)
    x = torch.rand(2, 3, 12, 15)
    k = gaussian_kernel(1.0)
    full = F.conv2d(x.reshape(6, 1, 12, 15),
                    torch.outer(k, k)[None, None]).reshape(2, 3, 6, 9)
    assert torch.allclose(
        separable_filter(x, k)[..., 3:-3, 3:-3], full, atol=1e-6)


def test_separable_filter_keeps_a_constant_image_at_any_size():
    for h, w in ((2, 2), (3, 40), (17, 5)):
        x = torch.full((1, 3, h, w), 0.3)
        assert torch.allclose(
            separable_filter(x, gaussian_kernel(1.5)), x, atol=1e-6)


def test_box_mean_averages_what_the_window_covers():
    x = torch.arange(9.).reshape(1, 1, 3, 3)
    out = box_mean(x, 1)
    assert out[0, 0, 1, 1] == x.mean()
    # the corner window covers 0, 1, 3, 4
    assert out[0, 0, 0, 0] == 2.0


def test_resize_bilinear_to_a_size():
    assert resize_bilinear(torch.rand(2, 4, 5, 7),
                           (10, 3)).shape == (2, 4, 10, 3)


def test_mean_brightness_per_image_with_a_floor():
    x = torch.stack([torch.full((3, 2, 2), 0.5), torch.zeros(3, 2, 2)])
    s = mean_brightness(x, 0.02)
    assert s.shape == (2, 1, 1, 1)
    assert torch.allclose(s.flatten(), torch.tensor([0.5, 0.02]))
