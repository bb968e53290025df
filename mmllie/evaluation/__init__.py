from .subset_accuracy import SubsetAccuracy  # noqa: F401
from .subset_coco_metric import SubsetCocoMetric  # noqa: F401
