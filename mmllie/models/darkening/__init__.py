from .batch_low_light import (BatchLowLightSynthesis, apply_batch_low_light,
                              sample_batch_low_light_params)

__all__ = [
    'BatchLowLightSynthesis', 'apply_batch_low_light',
    'sample_batch_low_light_params'
]
