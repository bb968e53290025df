from .subset_coco_metric import SubsetCocoMetric  # noqa: F401
