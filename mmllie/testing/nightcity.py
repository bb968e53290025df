"""A tiny NightCity tree in the release layout (labels as labelIds).

``NightCity-images/images/<split>/Chicago_<NNNN>.png`` and
``NightCity-label/label/<split>/Chicago_<NNNN>_labelIds.png``; the val
split also gets NightCity+ labels in ``val_plus/``.
"""
import os
import os.path as osp
from typing import Sequence, Tuple

import numpy as np
from PIL import Image

IMG, GT = 'NightCity-images/images', 'NightCity-label/label'

SPLITS = (('train', 3), ('val', 2))


def make_nightcity(root: str,
                   splits: Sequence[Tuple[str, int]] = SPLITS,
                   seed: int = 0,
                   size: Tuple[int, int] = (32, 64)) -> dict:
    """Write dark random images and random Cityscapes labelIds (0..33).

    Args:
        root (str): Data root to create.
        splits: ``(split, number of images)`` pairs. Defaults to 3 train
            and 2 val images.
        seed (int): Seed of the generator. Defaults to 0.
        size (tuple[int, int]): Image ``(H, W)``. Defaults to (32, 64).

    Returns:
        dict: ``{labelIds path: labelIds array}``.
    """
    rng = np.random.default_rng(seed)
    h, w = size
    labels = {}
    for split, n in splits:
        for i in range(n):
            stem = f'Chicago_{i:04d}'
            img = rng.integers(0, 60, (h, w, 3), dtype=np.uint8)
            os.makedirs(osp.join(root, IMG, split), exist_ok=True)
            Image.fromarray(img).save(
                osp.join(root, IMG, split, stem + '.png'))
            for gt in (split, 'val_plus') if split == 'val' else (split, ):
                os.makedirs(osp.join(root, GT, gt), exist_ok=True)
                path = osp.join(root, GT, gt, stem + '_labelIds.png')
                labels[path] = rng.integers(0, 34, (h, w), dtype=np.uint8)
                Image.fromarray(labels[path]).save(path)
    return labels
