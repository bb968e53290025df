"""mmseg's geometric transforms and LowLightSynthesis, in any order."""
import itertools

import numpy as np
import pytest
from mmengine.dataset import Compose
from mmengine.registry import init_default_scope

GEOMETRIC = [
    dict(
        type='RandomResize',
        scale=(96, 48),
        ratio_range=(0.5, 2.0),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size=(32, 48), cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
]
DARK = dict(type='mmllie.LowLightSynthesis', level='hard')


@pytest.mark.parametrize('position', range(len(GEOMETRIC) + 1))
def test_any_order(position):
    init_default_scope('mmseg')
    rng = np.random.default_rng(0)
    img = rng.integers(60, 255, (40, 64, 3), dtype=np.uint8)
    seg = rng.integers(0, 4, (40, 64), dtype=np.uint8)
    for order in itertools.permutations(GEOMETRIC):
        steps = list(order)
        steps.insert(position, DARK)
        pipeline = Compose([*steps, dict(type='PackSegInputs')])
        out = pipeline(
            dict(
                img=img.copy(),
                gt_seg_map=seg.copy(),
                seg_fields=['gt_seg_map'],
                img_shape=img.shape[:2],
                ori_shape=img.shape[:2],
                reduce_zero_label=False))
        x = out['inputs']
        label = out['data_samples'].gt_sem_seg.data
        assert x.shape[0] == 3 and x.dtype.is_floating_point is False
        assert x.shape[1:] == label.shape[1:]  # image and labels aligned
        assert set(label.unique().tolist()) <= {0, 1, 2, 3}
        assert x.float().mean() < 0.5 * img.mean()  # darkened once
        assert out['data_samples'].metainfo['img_shape'] == x.shape[1:]
