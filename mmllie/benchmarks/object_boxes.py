"""COCO-format boxes of the synthetic street scenes, for detection.

Every connected region of a car or a person in a scene's label map (at least
:data:`MIN_AREA` pixels) becomes one box of ``annotations/instances_<split>
.json`` (COCO format: mmdet's ``CocoDataset`` reads it as any COCO file).
Boxes come from the DAY labels and are written into every darkened copy of
the same scenes, so night and day are scored on the same objects. Touching
objects of one class (two overlapping cars) form one region, hence one box:
the same in day and night, so the day → night comparison is unaffected.
"""
import json
import os
import os.path as osp
from typing import Dict, List, Sequence

import cv2
import numpy as np

from mmllie.datasets.synthetic_city import CLASS_IDS, LABEL_DIR

#: Detected classes, in label order.
DET_CLASSES = ('car', 'person')
MIN_AREA = 40
ANN_DIR = 'annotations'
LABEL_SUFFIX = '_labelIds.png'
SPLITS = ('train', 'val')


def scene_boxes(label: np.ndarray) -> List[dict]:
    """``dict(category_id, bbox=[x, y, w, h], area)`` per object region of
    ``label`` (Cityscapes labelIds); category ids are 1-based."""
    boxes = []
    for cat, name in enumerate(DET_CLASSES, 1):
        mask = (label == CLASS_IDS[name]).astype(np.uint8)
        n, _, stats, _ = cv2.connectedComponentsWithStats(mask, None, 8)
        for x, y, w, h, area in stats[1:n]:
            if area >= MIN_AREA:
                boxes.append(
                    dict(
                        category_id=cat,
                        bbox=[int(x), int(y), int(w),
                              int(h)],
                        area=int(area)))
    return boxes


def coco_annotations(day_root: str, split: str) -> dict:
    """The COCO dict of one split of a synthetic city (NightCity layout)."""
    label_dir = osp.join(day_root, LABEL_DIR, split)
    if not osp.isdir(label_dir):
        raise FileNotFoundError(f'no label folder {label_dir!r}: not a '
                                'synthetic city (NightCity layout)')
    images, annotations = [], []
    names = sorted(
        f for f in os.listdir(label_dir) if f.endswith(LABEL_SUFFIX))
    for img_id, name in enumerate(names):
        label = cv2.imread(osp.join(label_dir, name), cv2.IMREAD_GRAYSCALE)
        if label is None:
            raise OSError(f'cannot read label map {osp.join(label_dir, name)}')
        stem = name[:-len(LABEL_SUFFIX)]
        h, w = label.shape
        images.append(
            dict(id=img_id, file_name=stem + '.png', height=h, width=w))
        for box in scene_boxes(label):
            annotations.append(
                dict(box, id=len(annotations) + 1, image_id=img_id, iscrowd=0))
    return dict(
        images=images,
        annotations=annotations,
        categories=[dict(id=i, name=n) for i, n in enumerate(DET_CLASSES, 1)])


def write_coco_boxes(day_root: str,
                     roots: List[str],
                     splits: Sequence[str] = SPLITS) -> Dict[str, int]:
    """Write ``annotations/instances_<split>.json`` (boxes of the day
    labels) into every root of ``roots``; return the box count per split.

    The images a file lists are ``<root>/NightCity-images/images/<split>/``.
    """
    counts = {}
    for split in splits:
        coco = coco_annotations(day_root, split)
        counts[split] = len(coco['annotations'])
        text = json.dumps(coco)
        for root in roots:
            path = osp.join(root, ANN_DIR, f'instances_{split}.json')
            os.makedirs(osp.dirname(path), exist_ok=True)
            if osp.isfile(path):
                with open(path, encoding='utf-8') as f:
                    if f.read() == text:
                        continue
            with open(path, 'w', encoding='utf-8') as f:
                f.write(text)
    return counts
