from .output_distillation import OutputDistillationLoss, flatten_outputs
from .zero_reference import (ColorConstancyLoss, ExposureControlLoss,
                             IlluminationSmoothnessLoss,
                             SpatialConsistencyLoss)
from .zero_reference_loss import ZeroReferenceLoss
