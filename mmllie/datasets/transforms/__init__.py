from .low_light import (LOW_LIGHT_PRESETS, LowLightSynthesis, apply_low_light,
                        sample_low_light_params, synthesize_low_light)
from .whole_image_bbox import WholeImageBBox

__all__ = [
    'LOW_LIGHT_PRESETS', 'LowLightSynthesis', 'apply_low_light',
    'sample_low_light_params', 'synthesize_low_light', 'WholeImageBBox'
]
