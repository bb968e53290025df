from mmllie.registry import METRICS
from mmllie.utils.hosts import is_installed, register_unavailable

# host metrics only where their host is installed (mmllie.utils.hosts)
if is_installed('mmpose'):
    from .subset_coco_metric import SubsetCocoMetric  # noqa: F401
else:
    register_unavailable(METRICS, 'SubsetCocoMetric', 'mmpose')
if is_installed('mmdet'):
    from .class_subset_metric import ClassSubsetMetric  # noqa: F401
else:
    register_unavailable(METRICS, 'ClassSubsetMetric', 'mmdet')
if is_installed('mmpretrain'):
    from .subset_accuracy import SubsetAccuracy  # noqa: F401
else:
    register_unavailable(METRICS, 'SubsetAccuracy', 'mmpretrain')
