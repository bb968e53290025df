"""Object-centred crops of the synthetic street scenes, for classification.

Every connected region of an object class in a scene's label map (cars,
people, poles, vegetation) of at least :data:`MIN_AREA` pixels becomes one
square crop centred on it, resized to :data:`CROP_SIZE`, written in
mmpretrain's folder layout ``<out>/<split>/<class>/<stem>_<k>.png``. Boxes
come from the DAY labels, so the crops of a darkened copy of the same scenes
(:func:`mmllie.datasets.synthetic_city.darken_dataset`) show exactly the same
objects, darkened at scene resolution like a real night photograph.
"""
import json
import os
import os.path as osp
import shutil
from typing import Dict, List, Tuple

import cv2
import numpy as np

from mmllie.datasets.synthetic_city import CLASS_IDS, IMG_DIR, LABEL_DIR

#: Class names in label order (alphabetical: mmpretrain's folder order).
CROP_CLASSES: Tuple[str, ...] = ('car', 'person', 'pole', 'vegetation')
MIN_AREA = 30
CROP_SIZE = 32
MARGIN = 1.25
MANIFEST = 'crops.json'


def object_boxes(label: np.ndarray) -> List[Tuple[int, int, int, int]]:
    """``(class index, cx, cy, side)`` of every object region in ``label``
    (Cityscapes labelIds), ordered by class then region."""
    boxes = []
    for cls, name in enumerate(CROP_CLASSES):
        mask = (label == CLASS_IDS[name]).astype(np.uint8)
        n, _, stats, _ = cv2.connectedComponentsWithStats(mask, None, 8)
        for x, y, w, h, area in stats[1:n]:
            if area >= MIN_AREA:
                side = int(np.ceil(max(w, h) * MARGIN))
                boxes.append((cls, x + w // 2, y + h // 2, side))
    return boxes


def crop(img: np.ndarray, cx: int, cy: int, side: int) -> np.ndarray:
    """A ``CROP_SIZE`` square of ``img`` centred at (cx, cy); borders are
    replicated where the square leaves the image."""
    half = side // 2
    pad = cv2.copyMakeBorder(img, side, side, side, side, cv2.BORDER_REPLICATE)
    x0, y0 = cx - half + side, cy - half + side
    patch = pad[y0:y0 + side, x0:x0 + side]
    return cv2.resize(
        patch, (CROP_SIZE, CROP_SIZE), interpolation=cv2.INTER_AREA)


def write_object_crops(scene_root: str, label_root: str,
                       out_dir: str) -> Dict[str, int]:
    """Crop the scenes under ``scene_root`` at the objects of the labels
    under ``label_root`` (both in the NightCity layout); idempotent.

    Returns:
        dict: Number of crops per split.
    """
    params = dict(
        scenes=osp.abspath(scene_root),
        labels=osp.abspath(label_root),
        classes=CROP_CLASSES,
        min_area=MIN_AREA,
        size=CROP_SIZE,
        margin=MARGIN)
    manifest = osp.join(out_dir, MANIFEST)
    if osp.isfile(manifest):
        with open(manifest, encoding='utf-8') as f:
            old = json.load(f)
        if old['params'] == json.loads(json.dumps(params)):
            return old['counts']
        for split in old['counts']:  # ours, from other parameters
            shutil.rmtree(osp.join(out_dir, split), ignore_errors=True)
    elif osp.isdir(out_dir) and os.listdir(out_dir):
        raise FileExistsError(f'{out_dir!r} is not empty and holds no '
                              f'{MANIFEST}: not written here, not touched')
    counts = {}
    for split in sorted(os.listdir(osp.join(scene_root, IMG_DIR))):
        counts[split] = 0
        for name in CROP_CLASSES:
            os.makedirs(osp.join(out_dir, split, name), exist_ok=True)
        for fname in sorted(os.listdir(osp.join(scene_root, IMG_DIR, split))):
            stem = fname[:-len('.png')]
            img = cv2.imread(osp.join(scene_root, IMG_DIR, split, fname))
            label = cv2.imread(
                osp.join(label_root, LABEL_DIR, split, stem + '_labelIds.png'),
                cv2.IMREAD_UNCHANGED)
            if img is None or label is None:
                raise OSError(f'could not read {fname} or its label under '
                              f'{scene_root!r} / {label_root!r}')
            for k, (cls, cx, cy, side) in enumerate(object_boxes(label)):
                path = osp.join(out_dir, split, CROP_CLASSES[cls],
                                f'{stem}_{k:02d}.png')
                cv2.imwrite(path, crop(img, cx, cy, side))
                counts[split] += 1
    with open(manifest, 'w', encoding='utf-8') as f:
        json.dump(dict(params=params, counts=counts), f, indent=2)
    return counts
