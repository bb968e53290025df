from .class_subset_metric import ClassSubsetMetric  # noqa: F401
from .subset_coco_metric import SubsetCocoMetric  # noqa: F401
