"""One score per test image, whatever the recognizer's task, so that a
comparison can say on how many images an enhancer made it worse.

* segmentation (``pred_sem_seg`` and ``gt_sem_seg``): the image's mIoU in %
  (:func:`~mmllie.evaluation.per_image_iou.image_miou`, mmseg's
  intersection / union per class);
* classification (``pred_label`` / ``pred_score`` and ``gt_label``):
  100 if the top-1 class is right, else 0.

Other tasks (pose, detection) have no per-image score here: their COCO AP is
defined over a whole set of images.
"""
from typing import Optional

import torch


def _get(sample, key: str):
    if isinstance(sample, dict):
        return sample.get(key)
    return getattr(sample, key, None) if key in sample else None


def _data(field):
    """The tensor of a ``PixelData`` / ``dict(data=...)`` field."""
    if isinstance(field, dict):
        return field.get('data')
    return getattr(field, 'data', field)


def _label(field) -> Optional[int]:
    if field is None:
        return None
    value = torch.as_tensor(field).flatten()
    return int(value[0]) if value.numel() else None


def image_score(sample,
                num_classes: Optional[int] = None,
                ignore_index: int = 255) -> Optional[float]:
    """The score of one predicted data sample, or None for other tasks.

    Args:
        sample: A data sample (or its dict) holding prediction and label.
        num_classes (int, optional): Classes of a segmentation dataset;
            needed for segmentation samples.
        ignore_index (int): Label value that is not scored. Defaults to
            255.

    Returns:
        float | None: Segmentation: the image's mIoU in % (``nan`` when
        every pixel is ignored); classification: 100 or 0; else None.
    """
    pred, gt = _get(sample, 'pred_sem_seg'), _get(sample, 'gt_sem_seg')
    if pred is not None and gt is not None:
        if not num_classes:
            raise ValueError('image_score: a segmentation sample needs '
                             'num_classes (the dataset\'s classes).')
        from mmseg.evaluation.metrics import IoUMetric

        from .per_image_iou import image_miou
        pred, gt = _data(pred).squeeze().cpu(), _data(gt).squeeze().cpu()
        inter, union, _, _ = IoUMetric.intersect_and_union(
            pred, gt.to(pred), num_classes, ignore_index)
        return image_miou(inter.numpy(), union.numpy())
    gt = _get(sample, 'gt_label')
    if gt is not None:
        pred = _get(sample, 'pred_label')
        if pred is None and _get(sample, 'pred_score') is not None:
            pred = torch.as_tensor(_get(sample, 'pred_score')).argmax()
        if pred is not None:
            return 100. if _label(pred) == _label(gt) else 0.
    return None


__all__ = ['image_score']
