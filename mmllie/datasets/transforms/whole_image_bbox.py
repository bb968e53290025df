"""The whole image as the person box, for top-down pose without labels."""
import numpy as np
from mmcv.transforms import BaseTransform

from mmllie.registry import TRANSFORMS


@TRANSFORMS.register_module()
class WholeImageBBox(BaseTransform):
    """Set ``bbox`` to the whole image (x1, y1, x2, y2) and score 1.

    Lets a top-down pose pipeline (``GetBBoxCenterScale →
    TopdownAffine → PackPoseInputs``) run on bare images, e.g. person
    crops in an :class:`mmllie.ImageFolderDataset`.

    Required Keys: img. Added Keys: bbox, bbox_score.
    """

    def transform(self, results: dict) -> dict:
        """Add the whole-image box."""
        if 'img' not in results:
            raise KeyError('WholeImageBBox needs results["img"] (put it '
                           'after LoadImageFromFile).')
        h, w = results['img'].shape[:2]
        results['bbox'] = np.array([[0, 0, w, h]], np.float32)
        results['bbox_score'] = np.ones(1, np.float32)
        return results
