from mmllie.checkpoint.enhancer import (export_enhancer, load_enhancer,
                                        stored_enhancer_cfg)
from .enhance import (enhance_batches, enhance_image, image_to_unit,
                      unit_to_image)
from .inference import build_inferencer, inference_enhancer_recognizer

__all__ = [
    'export_enhancer', 'load_enhancer', 'stored_enhancer_cfg',
    'enhance_batches', 'enhance_image', 'image_to_unit', 'unit_to_image',
    'build_inferencer', 'inference_enhancer_recognizer'
]
