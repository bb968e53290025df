"""Score a detector on a subset of its classes (COCO detector on ExDark)."""
import contextlib
from multiprocessing.pool import ThreadPool
from typing import Iterator, List, Optional, Sequence

import torch
from mmengine.evaluator import BaseMetric

from mmllie.registry import METRICS


@contextlib.contextmanager
def threads_for_mmdet_map() -> Iterator[None]:
    """Let mmdet's ``eval_map`` (``VOCMetric``) use threads, not processes.

    ``eval_map`` forks a ``multiprocessing.Pool(4)`` on every call. Forking
    a process that runs other threads (torch's intra-op pool, a data
    loader) can leave the child waiting forever on a lock copied in its
    locked state: a test run hung there. The per-class TP / FP work is NumPy
    and gives the same numbers in a thread pool.
    """
    from mmdet.evaluation.functional import mean_ap
    saved = mean_ap.Pool
    mean_ap.Pool = ThreadPool
    try:
        yield
    finally:
        mean_ap.Pool = saved


@METRICS.register_module()
class ClassSubsetMetric(BaseMetric):
    """Run a detection metric on some of the detector's classes only.

    A COCO-trained detector predicts 80 classes; ExDark annotates 12 of
    them. This metric drops predictions of other classes, renumbers labels
    of predictions and ground truth to ``0..len(classes)-1`` and hands the
    samples to the wrapped metric (mmdet's ``VOCMetric`` or ``CocoMetric``),
    whose ``dataset_meta['classes']`` becomes the subset: per-class tables
    and mAP cover exactly those classes.

    Args:
        metric (dict): The wrapped metric's config, e.g.
            ``dict(type='VOCMetric', metric='mAP', iou_thrs=[0.5])``.
        classes (Sequence[str], optional): Class names, a subset of
            ``dataset_meta['classes']``. Defaults to the dataset's
            ``eval_classes`` (``mmllie.ExDarkDataset``: its 12 classes).
    """

    default_prefix: Optional[str] = 'subset'  # results keep the wrapped prefix

    def __init__(self,
                 metric: dict,
                 classes: Optional[Sequence[str]] = None) -> None:
        super().__init__()
        self.metric = METRICS.build(metric)
        self.classes = tuple(classes) if classes is not None else None
        self._map: Optional[torch.Tensor] = None

    @property
    def dataset_meta(self) -> Optional[dict]:
        return self._dataset_meta

    @dataset_meta.setter
    def dataset_meta(self, meta: dict) -> None:
        self._dataset_meta = meta
        names = tuple(meta['classes'])
        keep = self.classes or tuple(meta.get('eval_classes') or names)
        unknown = [c for c in keep if c not in names]
        if unknown:
            raise ValueError(f'ClassSubsetMetric: classes {unknown} are not '
                             f"in the dataset's classes {names}")
        self._map = torch.full((len(names), ), -1, dtype=torch.long)
        for i, name in enumerate(keep):
            self._map[names.index(name)] = i
        self.metric.dataset_meta = dict(meta, classes=keep)

    def _instances(self, inst: dict) -> dict:
        labels = self._map[inst['labels'].cpu()]
        keep = labels >= 0
        out = {k: v[keep.to(v.device)] for k, v in inst.items()}
        out['labels'] = labels[keep].to(inst['labels'].device)
        return out

    def _sample(self, sample: dict) -> dict:
        sample = dict(sample)
        for key in ('pred_instances', 'gt_instances', 'ignored_instances'):
            if key in sample:
                sample[key] = self._instances(sample[key])
        if 'instances' in sample:  # raw annotations (CocoMetric)
            sample['instances'] = [
                dict(i, bbox_label=int(self._map[i['bbox_label']]))
                for i in sample['instances'] if self._map[i['bbox_label']] >= 0
            ]
        return sample

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Filter and renumber, then let the wrapped metric process."""
        if self._map is None:
            raise RuntimeError('ClassSubsetMetric: dataset_meta is not set')
        self.metric.process(data_batch,
                            [self._sample(s) for s in data_samples])

    def compute_metrics(self, results: List) -> dict:
        with threads_for_mmdet_map():
            return self.metric.compute_metrics(results)

    def evaluate(self, size: int) -> dict:
        """The wrapped metric's results (it holds the processed samples)."""
        with threads_for_mmdet_map():
            return self.metric.evaluate(size)
