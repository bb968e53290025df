"""apis.enhance: OpenCV images ↔ the enhancer's [0, 1] RGB, every format."""
import numpy as np
import pytest
import torch

from mmllie.apis import image_to_unit, unit_to_image
from mmllie.models.data_preprocessors.host_normalization import \
    HostNormalization

_RNG = np.random.default_rng(0)
_BGR8 = _RNG.integers(0, 256, (5, 7, 3), dtype=np.uint8)
_BGR16 = _RNG.integers(0, 65536, (5, 7, 3), dtype=np.uint16)
_FORMATS = {
    'bgr8': (_BGR8, 255.),
    'bgr16': (_BGR16, 65535.),
    'float': (_RNG.random((5, 7, 3)).astype(np.float32), 1.),
    'grey': (_BGR8[..., 0], 255.),
    'grey1': (_BGR16[..., :1], 65535.),
    'bgra': (np.dstack([_BGR8, _BGR8[..., :1]]), 255.),
}


@pytest.mark.parametrize('name', sorted(_FORMATS))
def test_image_round_trip(name):
    img, full = _FORMATS[name]
    x, info = image_to_unit(img, name)
    assert x.shape == (3, 5, 7) and x.dtype == torch.float32
    bgr = img.reshape(5, 7, -1)[..., :3].astype(np.float32) / np.float32(full)
    bgr = np.broadcast_to(bgr, (5, 7, 3))
    # RGB in [0, 1], the same numbers as dividing by the full scale
    np.testing.assert_array_equal(x.numpy(), bgr[..., ::-1].transpose(2, 0, 1))
    out = unit_to_image(x, info)
    assert out.dtype == img.dtype
    np.testing.assert_array_equal(out, img)


def test_an_image_is_a_host_input_without_mean_std():
    x, _ = image_to_unit(_BGR8)
    host = torch.from_numpy(_BGR8.astype(np.float32)).permute(2, 0, 1)[None]
    norm = HostNormalization.from_host(dict(type='SegDataPreProcessor'))
    torch.testing.assert_close(norm.to_unit(host)[0], x, rtol=0, atol=0)


def test_output_is_clamped_and_rounded():
    x = torch.tensor([-0.5, 0.4 / 255, 0.6 / 255, 2.])[None,
                                                       None].expand(3, 1, 4)
    out = unit_to_image(
        x, dict(dtype=np.dtype(np.uint8), channels=3, ndim=3, alpha=None))
    np.testing.assert_array_equal(out[0, :, 0], [0, 0, 1, 255])
