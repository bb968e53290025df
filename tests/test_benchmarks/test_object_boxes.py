"""COCO boxes of the synthetic scenes: known regions, real generated
scenes, the same file in every darkened copy."""
import json
import os.path as osp

import numpy as np
import pytest

from mmllie.benchmarks.object_boxes import (DET_CLASSES, MIN_AREA,
                                            coco_annotations, scene_boxes,
                                            write_coco_boxes)
from mmllie.datasets import generate_synthetic_city
from mmllie.datasets.synthetic_city import CLASS_IDS, darken_dataset


def test_known_regions():
    label = np.full((40, 60), CLASS_IDS['road'], np.uint8)
    label[2:12, 3:23] = CLASS_IDS['car']  # 10 x 20
    label[20:30, 40:44] = CLASS_IDS['person']  # 10 x 4 = 40 pixels
    label[35:37, 50:52] = CLASS_IDS['person']  # 4 pixels: too small
    label[15:25, 10:16] = CLASS_IDS['pole']  # not detected
    boxes = scene_boxes(label)
    assert MIN_AREA == 40 and DET_CLASSES == ('car', 'person')
    assert boxes == [
        dict(category_id=1, bbox=[3, 2, 20, 10], area=200),
        dict(category_id=2, bbox=[40, 20, 4, 10], area=40)
    ]


@pytest.fixture(scope='module')
def city(tmp_path_factory):
    root = tmp_path_factory.mktemp('boxes')
    day = str(root / 'day')
    generate_synthetic_city(day, 3, 2, (128, 256), seed=0, show_progress=False)
    night = str(root / 'night-hard')
    darken_dataset(day, night, 'hard', seed=0, show_progress=False)
    return day, night


def test_generated_scenes(city):
    day, night = city
    coco = coco_annotations(day, 'train')
    assert len(coco['images']) == 3
    assert [c['name'] for c in coco['categories']] == list(DET_CLASSES)
    assert {a['category_id'] for a in coco['annotations']} == {1, 2}
    for ann in coco['annotations']:
        img = coco['images'][ann['image_id']]
        x, y, w, h = ann['bbox']
        assert 0 <= x and x + w <= img['width'] and y + h <= img['height']
        assert w * h >= ann['area'] >= MIN_AREA
        assert osp.isfile(
            osp.join(day, 'NightCity-images', 'images', 'train',
                     img['file_name']))
    counts = write_coco_boxes(day, [day, night])
    assert counts['train'] == len(coco['annotations'])
    files = [
        osp.join(r, 'annotations', 'instances_val.json') for r in (day, night)
    ]
    with open(files[0]) as f, open(files[1]) as g:
        assert json.load(f) == json.load(g)  # night scored on day boxes
    write_coco_boxes(day, [night])  # idempotent


def test_not_a_city(tmp_path):
    with pytest.raises(FileNotFoundError, match='no label folder'):
        coco_annotations(str(tmp_path), 'train')
