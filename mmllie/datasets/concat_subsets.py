"""Several subsets of one dataset, tested together, with one pipeline."""
from typing import List, Optional, Sequence, Union

from mmengine.dataset import BaseDataset, ConcatDataset

from mmllie.registry import DATASETS


@DATASETS.register_module()
class ConcatSubsets(ConcatDataset):
    """A ``ConcatDataset`` whose subsets share one ``pipeline``.

    MMEngine's ``ConcatDataset`` has no ``pipeline`` of its own, so tools
    that read ``cfg.test_dataloader.dataset.pipeline`` (every OpenMMLab
    inferencer: ``MMPoseInferencer``, ``MMSegInferencer``,
    ``ImageClassificationInferencer``) fail on a config that tests several
    subsets at once. Here the pipeline sits at the top and is handed to
    every subset config that does not set its own.

    Args:
        datasets (Sequence[dict | BaseDataset]): Subset configs or datasets.
        pipeline (list[dict], optional): The shared pipeline.
        **kwargs: ``ConcatDataset`` arguments (``lazy_init``,
            ``ignore_keys``).

    Example:
        >>> ds = ConcatSubsets(  # doctest: +SKIP
        ...     datasets=[dict(type='mmllie.ExLPoseDataset', subset=s)
        ...               for s in ('LL-N', 'LL-H')],
        ...     pipeline=[dict(type='LoadImage'), ...])
    """

    def __init__(self,
                 datasets: Sequence[Union[BaseDataset, dict]],
                 pipeline: Optional[List[dict]] = None,
                 **kwargs) -> None:
        if pipeline is not None:
            datasets = [
                dict(d, pipeline=d.get('pipeline') or pipeline) if isinstance(
                    d, dict) else d for d in datasets
            ]
        super().__init__(datasets, **kwargs)
