"""Side-by-side pictures: input | enhanced | prediction, the prediction
drawn by the recognizer's own visualiser (the host adapter's
:meth:`~mmllie.hosts.BaseHost.draw`)."""
from typing import Sequence

import cv2
import numpy as np

from mmllie.hosts import get_host, host_of
from .inference import inference_enhancer_recognizer


def draw_prediction(inferencer, image_bgr: np.ndarray, sample) -> np.ndarray:
    """Draw ``sample``'s prediction on an image with the inferencer's
    visualiser; BGR uint8 in and out."""
    host = host_of(inferencer) or get_host(inferencer.cfg.default_scope)
    drawn = host.draw(inferencer, np.ascontiguousarray(image_bgr[..., ::-1]),
                      sample)
    return np.ascontiguousarray(drawn[..., ::-1])


def side_by_side(
    panels: Sequence[np.ndarray],
    titles: Sequence[str] = ('input', 'enhanced', 'prediction')
) -> np.ndarray:
    """Concatenate BGR uint8 panels horizontally at the first one's
    height, each titled in its top-left corner."""
    h = panels[0].shape[0]
    out = []
    for panel, title in zip(panels, titles):
        if panel.shape[0] != h:
            w = round(panel.shape[1] * h / panel.shape[0])
            panel = cv2.resize(panel, (w, h), interpolation=cv2.INTER_AREA)
        panel = panel.copy()
        scale = max(h / 400, 0.3)
        cv2.putText(panel, title, (4, int(4 + 22 * scale)),
                    cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 255),
                    max(1, int(2 * scale)), cv2.LINE_AA)
        out.append(panel)
    return np.concatenate(out, axis=1)


def demo_panel(inferencer, img_bgr: np.ndarray, **kwargs) -> np.ndarray:
    """input | enhanced | prediction (drawn on the enhanced image) for one
    BGR uint8 image."""
    if img_bgr.ndim == 2 or img_bgr.shape[2] != 3 or \
            img_bgr.dtype != np.uint8:
        raise ValueError('demo images must be 8-bit 3-channel (BGR), got '
                         f'{img_bgr.dtype} {img_bgr.shape}; see '
                         'tools/enhance.py for other formats')
    out = inference_enhancer_recognizer(inferencer, img_bgr, **kwargs)
    drawn = draw_prediction(inferencer, out['enhanced'], out['prediction'])
    return side_by_side([img_bgr, out['enhanced'], drawn])
