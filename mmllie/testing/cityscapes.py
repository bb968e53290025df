"""A tiny tree in the Cityscapes layout mmseg's ``CityscapesDataset`` reads
(``leftImg8bit/<split>/<city>/*_leftImg8bit.png``,
``gtFine/<split>/<city>/*_gtFine_labelTrainIds.png``)."""
import os
import os.path as osp
from typing import Dict, Sequence

import cv2
import numpy as np


def make_cityscapes(root: str,
                    splits: Dict[str, int] = dict(train=2, val=2),
                    size: Sequence[int] = (64, 128),
                    seed: int = 0) -> str:
    """Random frames with random train-id labels (0..18, a band of 255).

    Args:
        root (str): Where the tree is written.
        splits (dict): Frames per split.
        size (Sequence[int]): ``(H, W)`` of the frames.
        seed (int): Random seed.

    Returns:
        str: ``root``.
    """
    rng = np.random.default_rng(seed)
    h, w = size
    for split, n in splits.items():
        for kind in ('leftImg8bit', 'gtFine'):
            os.makedirs(osp.join(root, kind, split, 'city'), exist_ok=True)
        for i in range(n):
            stem = osp.join(split, 'city', f'city_000000_{i:06d}')
            cv2.imwrite(
                osp.join(root, 'leftImg8bit', f'{stem}_leftImg8bit.png'),
                rng.integers(0, 256, (h, w, 3), dtype=np.uint8))
            label = rng.integers(0, 19, (h, w), dtype=np.uint8)
            label[:max(1, h // 16)] = 255
            cv2.imwrite(
                osp.join(root, 'gtFine', f'{stem}_gtFine_labelTrainIds.png'),
                label)
    return root
