"""COCO keypoint AP of one dataset inside a concatenated test set.

One ``tools/test.py`` run reports ExLPose LL-N, LL-H, LL-E and LL-A:
the test set is a ``ConcatDataset`` of the four subsets and the evaluator a
list of these metrics, one per subset. mmpose's ``MultiDatasetEvaluator``
cannot do it: it keys metrics by the *class* metainfo's ``dataset_name``
(looked up in mmpose's own registry), the same for every subset of a class.
"""
from typing import Optional, Sequence

from mmpose.evaluation import CocoMetric

from mmllie.registry import METRICS


@METRICS.register_module()
class SubsetCocoMetric(CocoMetric):
    """mmpose's :class:`CocoMetric` over the samples of one dataset.

    Samples are selected by their ``dataset_name`` (a metainfo key that
    mmpose datasets copy into every sample and ``PackPoseInputs`` keeps);
    ``mmllie.ExLPoseDataset`` names its subsets ``'exlpose_<subset>'``.
    Without an explicit ``ann_file`` the ground truth is the annotation file
    that dataset registered under ``'<dataset_name>_ann_file'`` in the
    MessageHub, as for mmpose's CocoMetric.

    Args:
        dataset_name (str): The ``dataset_name`` of the samples to evaluate,
            e.g. ``'exlpose_LL-N'``.
        **kwargs: :class:`mmpose.evaluation.CocoMetric` arguments; set
            ``prefix`` (e.g. ``'LL-N/coco'``) so keys of several subsets
            differ (``'LL-N/coco/AP'``).

    Example:
        >>> test_evaluator = [
        ...     dict(type='mmllie.SubsetCocoMetric',
        ...          dataset_name=f'exlpose_{s}', prefix=f'{s}/coco',
        ...          use_area=False) for s in ('LL-N', 'LL-H')]
    """

    def __init__(self, dataset_name: str, **kwargs) -> None:
        self.dataset_name = dataset_name
        self._seen: set = set()
        super().__init__(**kwargs)

    @property
    def dataset_meta(self) -> Optional[dict]:
        """Meta info, with this metric's ``dataset_name``."""
        return self._dataset_meta

    @dataset_meta.setter
    def dataset_meta(self, dataset_meta: dict) -> None:
        # the runner gives the concatenated set's (first dataset's) metainfo
        meta = dict(dataset_meta, dataset_name=self.dataset_name)
        CocoMetric.dataset_meta.fset(self, meta)

    def process(self, data_batch: Sequence[dict],
                data_samples: Sequence[dict]) -> None:
        """Keep the samples of ``self.dataset_name``; see CocoMetric."""
        for sample in data_samples:
            if 'dataset_name' not in sample:
                raise KeyError(
                    f'{type(self).__name__}: a test sample has no '
                    "'dataset_name'; keep it in PackPoseInputs' meta_keys")
            self._seen.add(sample['dataset_name'])
        mine = [
            s for s in data_samples if s['dataset_name'] == self.dataset_name
        ]
        if mine:
            super().process(data_batch, mine)

    def compute_metrics(self, results: list) -> dict:
        """CocoMetric's AP/AR; error if no sample was of this dataset."""
        if not results:
            raise ValueError(
                f'{type(self).__name__}: no test sample of dataset_name '
                f'{self.dataset_name!r}; this process saw '
                f'{sorted(self._seen)}')
        return super().compute_metrics(results)
