"""PerImageIoUMetric and count_worse on hand-computed images."""
import json
import math

import pytest
import torch

from mmllie.evaluation.per_image_iou import (PerImageIoUMetric, count_worse,
                                             image_miou, load_per_image)


def _sample(path, pred, gt):
    return dict(
        img_path=path,
        pred_sem_seg=dict(data=torch.tensor([pred])),
        gt_sem_seg=dict(data=torch.tensor([gt])))


def test_per_image_and_dataset_miou(tmp_path):
    metric = PerImageIoUMetric(out_file=str(tmp_path / 'per_image.json'))
    metric.dataset_meta = dict(classes=('a', 'b', 'c'))
    # a: perfect. b: class 0 1/2, class 1 1/2 (its ignored pixel does not
    # count), class 2 absent from both: not counted
    metric.process({}, [_sample('a.png', [[0, 0], [1, 1]], [[0, 0], [1, 1]])])
    metric.process({}, [
        _sample('b.png', [[0, 1], [1, 1]], [[0, 0], [1, 255]]),
        _sample('c.png', [[2, 2], [2, 2]], [[255, 255], [255, 255]])
    ])
    metrics = metric.evaluate(3)
    # dataset: class 0 (2 + 1) / (2 + 2), class 1 likewise; class 2 was
    # predicted on ignored pixels only, which do not count
    assert metrics['mIoU'] == pytest.approx(75.0)
    values = [r['mIoU'] for r in metric.per_image]
    assert [r['img_path'] for r in metric.per_image] == \
        ['a.png', 'b.png', 'c.png']
    assert values[:2] == [100.0, 50.0]
    assert math.isnan(values[2])  # every pixel ignored
    assert [
        r['img_path']
        for r in load_per_image(str(tmp_path / 'per_image.json'))
    ] == ['a.png', 'b.png', 'c.png']


def test_image_miou_skips_absent_classes():
    assert image_miou([1, 0, 0], [2, 0, 4]) == pytest.approx(25.0)
    assert math.isnan(image_miou([0, 0], [0, 0]))


def test_count_worse():
    ref = [
        dict(img_path='a', mIoU=50.),
        dict(img_path='b', mIoU=40.),
        dict(img_path='c', mIoU=30.),
        dict(img_path='d', mIoU=float('nan'))
    ]
    new = [
        dict(img_path='b', mIoU=39.),
        dict(img_path='a', mIoU=52.),
        dict(img_path='c', mIoU=30.),
        dict(img_path='d', mIoU=10.)
    ]
    assert count_worse(new, ref) == dict(worse=1, better=1, total=3)
    assert count_worse(new, ref, tol=1.5) == dict(worse=0, better=1, total=3)
    with pytest.raises(KeyError, match='different images'):
        count_worse(new[:2], ref)


def test_load_per_image_names_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.json'):
        load_per_image(str(tmp_path / 'nope.json'))
    (tmp_path / 'ok.json').write_text(json.dumps([]))
    assert load_per_image(str(tmp_path / 'ok.json')) == []
