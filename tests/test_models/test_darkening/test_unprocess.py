"""One low-light model: the transform and the batch module share it."""
import numpy as np
import pytest
import torch

from mmllie.datasets.transforms import LowLightSynthesis
from mmllie.datasets.transforms import low_light as transform_module
from mmllie.datasets.transforms import synthesize_low_light
from mmllie.models.darkening import (BatchLowLightSynthesis,
                                     resolve_low_light_ranges,
                                     sample_low_light_params, unprocess,
                                     unprocess_low_light)

#: pixel sums of the seeded test image below (seed 123, 'frame_0001.png'):
#: a fixed test set must stay fixed
SEEDED_SUMS = dict(normal=324393, hard=228647, extreme=186332, full=284584)


def _day() -> np.ndarray:
    y, x = np.mgrid[0:48, 0:64]
    return (np.stack([x * 4, y * 5, (x + y) * 2], -1) % 256).astype(np.uint8)


@pytest.mark.parametrize('level', sorted(SEEDED_SUMS))
def test_seeded_transform_keeps_its_images(level):
    out = LowLightSynthesis(
        level, seed=123)(dict(img=_day(), img_path='frame_0001.png'))['img']
    # the parameter and noise stream is NumPy's; the math is torch's, whose
    # float32 pow may round one pixel one uint8 step the other way
    assert abs(int(out.astype(np.int64).sum()) - SEEDED_SUMS[level]) <= 3


def test_transform_is_the_torch_model_with_its_own_draws():
    """Same seed → same image: the transform's output is
    :func:`unprocess_low_light` on its parameters and noise."""
    img = _day()
    ranges = resolve_low_light_ranges('hard')
    out, params = synthesize_low_light(img, np.random.default_rng(7), ranges)
    rng = np.random.default_rng(7)
    assert sample_low_light_params(rng, ranges) == params
    noise = rng.standard_normal(img.shape, np.float32)
    x = torch.from_numpy(img[..., ::-1].astype(np.float32) / 255.)
    dark = unprocess_low_light(
        x.permute(2, 0, 1)[None], params,
        torch.from_numpy(noise).permute(2, 0, 1)[None])
    expected = np.round(dark[0].permute(1, 2, 0).numpy()[..., ::-1] * 255.)
    np.testing.assert_array_equal(out, expected.astype(np.uint8))


def test_constants_live_in_one_module():
    for name in ('DEFAULT_RANGES', 'LOW_LIGHT_PRESETS',
                 'resolve_low_light_ranges', 'sample_low_light_params'):
        assert getattr(transform_module, name) is getattr(unprocess, name)


def test_batch_to_uint8_has_the_transform_statistics():
    """The labelled recipe's darkening on the device: the same brightness
    and noise statistics as the pipeline transform, on 8-bit steps."""
    img = _day()
    transform = LowLightSynthesis('hard')
    np.random.seed(0)
    ref = np.stack([transform(dict(img=img))['img'] for _ in range(300)])
    day = torch.from_numpy(img[..., ::-1].astype(np.float32) / 255.)
    batch = day.permute(2, 0, 1)[None].repeat(300, 1, 1, 1)
    dark = BatchLowLightSynthesis('hard', seed=0, to_uint8=True)(batch)
    steps = dark * 255.
    assert torch.equal(steps, steps.round())  # 8-bit, as a loaded image
    got = steps.permute(0, 2, 3, 1).flip(-1).numpy()
    ref = ref.astype(np.float64)
    per_image_ref, per_image = ref.mean((1, 2, 3)), got.mean((1, 2, 3))
    assert abs(per_image.mean() / per_image_ref.mean() - 1) < 0.05
    assert abs(per_image.std() / per_image_ref.std() - 1) < 0.15
