"""mmpretrain's top-k accuracy of one split inside a concatenated test set.

One ``tools/test.py`` run reports CODaN ``test_night`` and ``test_day``:
the test set is a ``ConcatDataset`` of both splits and the evaluator a list
of these metrics, one per split, each seeing only its split's samples.
"""
from typing import List, Optional, Sequence

from mmpretrain.evaluation import Accuracy

from mmllie.registry import METRICS


@METRICS.register_module()
class SubsetAccuracy(Accuracy):
    """:class:`mmpretrain.evaluation.Accuracy` over the samples of a subset.

    Samples are selected by a metainfo key that the dataset sets on every
    sample (``mmllie.CODaNDataset`` sets ``split``) and ``PackInputs`` keeps
    (``meta_keys=(..., 'split')``).

    Args:
        subset (str): The value of ``subset_key`` to evaluate, e.g.
            ``'test_night'``.
        subset_key (str): The metainfo key. Defaults to ``'split'``.
        prefix (str, optional): Defaults to ``'<subset>/accuracy'``, so the
            keys read ``'test_night/accuracy/top1'``.
        **kwargs: :class:`Accuracy` arguments (``topk``, ``thrs``, ...).

    Example:
        >>> test_evaluator = [
        ...     dict(type='mmllie.SubsetAccuracy', subset=s, topk=(1, ))
        ...     for s in ('test_night', 'test_day')]
    """

    def __init__(self,
                 subset: str,
                 subset_key: str = 'split',
                 prefix: Optional[str] = None,
                 **kwargs) -> None:
        self.subset = subset
        self.subset_key = subset_key
        self._seen: set = set()
        super().__init__(prefix=prefix or f'{subset}/accuracy', **kwargs)

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Keep the samples of ``self.subset``; see :class:`Accuracy`."""
        for sample in data_samples:
            if self.subset_key not in sample:
                raise KeyError(
                    f'{type(self).__name__}: a test sample '
                    f'({sample.get("img_path", "?")}) has no '
                    f'{self.subset_key!r}; keep it in PackInputs\' meta_keys')
            self._seen.add(sample[self.subset_key])
        mine = [s for s in data_samples if s[self.subset_key] == self.subset]
        if mine:
            super().process(data_batch, mine)

    def compute_metrics(self, results: List) -> dict:
        """Accuracy's top-k; error if no sample was of this subset."""
        if not results:
            raise ValueError(
                f'{type(self).__name__}: no test sample with '
                f'{self.subset_key}={self.subset!r}; this process saw '
                f'{sorted(self._seen)}')
        return super().compute_metrics(results)
