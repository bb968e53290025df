"""mmseg's ``IoUMetric`` that also keeps the mIoU of every image."""
import json
import os.path as osp
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from mmengine.fileio import dump
from mmseg.evaluation.metrics import IoUMetric

from mmllie.registry import METRICS


def image_miou(area_intersect: torch.Tensor,
               area_union: torch.Tensor) -> float:
    """mIoU (in %) of one image from its per-class areas.

    Classes absent from both the prediction and the label (union 0) do not
    count, as in ``IoUMetric`` over a dataset; ``nan`` when no class is
    left (every pixel ignored).
    """
    union = np.asarray(area_union, dtype=np.float64)
    inter = np.asarray(area_intersect, dtype=np.float64)
    present = union > 0
    if not present.any():
        return float('nan')
    return float(100 * np.mean(inter[present] / union[present]))


@METRICS.register_module()
class PerImageIoUMetric(IoUMetric):
    """``IoUMetric`` plus the mIoU of each image, in test order.

    The dataset metrics are ``IoUMetric``'s. After evaluation,
    :attr:`per_image` lists ``dict(img_path=..., mIoU=...)`` per image
    (:func:`image_miou`), also written to ``out_file`` (JSON) if given.

    Args:
        out_file (str, optional): JSON file for the per-image list.
        **kwargs: ``IoUMetric`` arguments.
    """

    def __init__(self, out_file: Optional[str] = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.out_file = out_file
        self.per_image: List[dict] = []

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """``IoUMetric.process``, each result tagged with its image path."""
        start = len(self.results)
        super().process(data_batch, data_samples)
        for i, sample in enumerate(data_samples[:len(self.results) - start]):
            self.results[start + i] = (*self.results[start + i],
                                       sample.get('img_path', str(i)))

    def compute_metrics(self, results: list) -> Dict[str, float]:
        self.per_image = [
            dict(img_path=r[4], mIoU=image_miou(r[0], r[1])) for r in results
        ]
        if self.out_file:
            dump(self.per_image, self.out_file, indent=2)
        return super().compute_metrics([r[:4] for r in results])


def load_per_image(path: str) -> List[dict]:
    """The list :class:`PerImageIoUMetric` wrote to ``path``."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'per-image results {path} do not exist')
    with open(path) as f:
        return json.load(f)


def count_worse(per_image: Sequence[dict],
                reference: Sequence[dict],
                tol: float = 0.,
                key: str = 'mIoU') -> Dict[str, int]:
    """How many images ``per_image`` scores below (above) ``reference``.

    Images are paired by ``img_path``; an image scored ``nan`` on either
    side counts as neither.

    Args:
        tol (float): mIoU points a difference must exceed to count.
        key (str): The score of each entry. Defaults to ``'mIoU'``.

    Returns:
        dict: ``worse``, ``better`` and ``total`` (images compared).

    Raises:
        KeyError: The two lists do not hold the same images.
    """
    ref = {r['img_path']: r[key] for r in reference}
    own = {r['img_path']: r[key] for r in per_image}
    if set(ref) != set(own):
        missing = sorted(set(ref) ^ set(own))[:3]
        raise KeyError('count_worse: the two per-image lists hold different '
                       f'images (e.g. {missing})')
    worse = better = total = 0
    for path, value in own.items():
        if np.isnan(value) or np.isnan(ref[path]):
            continue
        total += 1
        worse += value < ref[path] - tol
        better += value > ref[path] + tol
    return dict(worse=worse, better=better, total=total)
