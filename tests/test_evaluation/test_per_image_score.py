"""One score per image, on known predictions."""
import math

import torch
from mmengine.structures import PixelData

from mmllie.evaluation.per_image_score import image_score


def _seg(pred, gt):
    from mmseg.structures import SegDataSample
    sample = SegDataSample()
    sample.pred_sem_seg = PixelData(data=torch.tensor([pred]))
    sample.gt_sem_seg = PixelData(data=torch.tensor([gt]))
    return sample


def test_segmentation_image_miou():
    # class 0: 1 pixel shared of 2 (IoU 1/2); class 1: 1 of 2 (1/2);
    # class 2 absent from both: not counted; 255 ignored
    sample = _seg([[0, 0, 1, 1]], [[0, 1, 1, 255]])
    assert image_score(sample, num_classes=3) == \
        100 * (1 / 2 + 1 / 2) / 2
    assert image_score(_seg([[1, 1]], [[1, 1]]), num_classes=3) == 100
    assert math.isnan(image_score(_seg([[1, 1]], [[255, 255]]), num_classes=3))


def test_classification_top1():
    from mmpretrain.structures import DataSample
    right = DataSample().set_gt_label(2).set_pred_score(
        torch.tensor([0.1, 0.2, 0.7]))
    wrong = DataSample().set_gt_label(0).set_pred_score(
        torch.tensor([0.1, 0.2, 0.7]))
    assert image_score(right) == 100 and image_score(wrong) == 0


def test_other_tasks_have_none():
    assert image_score(dict(pred_instances=None)) is None
