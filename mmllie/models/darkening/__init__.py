from .batch_low_light import BatchLowLightSynthesis, apply_batch_low_light
from .unprocess import (DEFAULT_RANGES, LOW_LIGHT_PRESETS,
                        resolve_low_light_ranges,
                        sample_batch_low_light_params, sample_low_light_params,
                        unprocess_low_light)

__all__ = [
    'BatchLowLightSynthesis', 'DEFAULT_RANGES', 'LOW_LIGHT_PRESETS',
    'apply_batch_low_light', 'resolve_low_light_ranges',
    'sample_batch_low_light_params', 'sample_low_light_params',
    'unprocess_low_light'
]
