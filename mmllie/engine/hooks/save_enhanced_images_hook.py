"""Save the enhancer's output images during testing (``--show-dir``)."""
import os
import os.path as osp
from typing import Optional, Sequence

import mmcv
import numpy as np
from mmengine.hooks import Hook

from mmllie.models.finder import get_enhancer, get_enhancer_wrapper
from mmllie.registry import HOOKS


@HOOKS.register_module()
class SaveEnhancedImagesHook(Hook):
    """Write each test image as the recognizer sees it after enhancement.

    Files are named after the input image (``<stem>.png``) under
    ``out_dir``, cropped to the image's un-padded size; an existing file is
    never overwritten unless ``overwrite=True``. The images are the batch
    the test step itself enhanced (the enhancer does not run twice). A model
    without enhancer (``enhancer=None``), or with it switched off, is tested
    with nothing written.

    Args:
        out_dir (str): Output directory.
        overwrite (bool): Replace existing files. Defaults to False.
    """

    priority = 'LOW'

    def __init__(self, out_dir: str, overwrite: bool = False) -> None:
        self.out_dir = out_dir
        self.overwrite = overwrite
        self._pre = None

    def before_test(self, runner) -> None:
        """Ask the data preprocessor to keep the batch it enhances."""
        try:
            get_enhancer(runner.model)  # raises for enhancer=None
            self._pre = get_enhancer_wrapper(runner.model)
        except TypeError:
            runner.logger.info(
                'SaveEnhancedImagesHook: the model has no mmllie enhancer '
                f'(enhancer=None); no enhanced images are written to '
                f'{self.out_dir}.')
            self._pre = None
            return
        if not self._pre.enhancer_active:
            runner.logger.info(
                'SaveEnhancedImagesHook: the enhancer is switched off (its '
                'run kept no enhancer); no enhanced images are written to '
                f'{self.out_dir}.')
            self._pre = None
            return
        self._pre.keep_enhanced = True

    def after_test(self, runner) -> None:
        if self._pre is not None:
            self._pre.keep_enhanced = False
            self._pre.last_enhanced = None

    def after_test_iter(self,
                        runner,
                        batch_idx: int,
                        data_batch: Optional[dict] = None,
                        outputs: Optional[Sequence] = None) -> None:
        """Write the images the test step enhanced (no second run)."""
        if self._pre is None or data_batch is None:
            return
        unit, self._pre.last_enhanced = self._pre.last_enhanced, None
        if unit is None:
            raise RuntimeError('SaveEnhancedImagesHook: the test step did '
                               'not run mmllie.GlobalPixelwiseEnhancer')
        unit = unit.clamp(0, 1)
        os.makedirs(self.out_dir, exist_ok=True)
        for i, sample in enumerate(data_batch['data_samples']):
            path = sample.metainfo.get('img_path', f'{batch_idx}_{i}')
            stem = osp.splitext(osp.basename(str(path)))[0]
            out = osp.join(self.out_dir, f'{stem}.png')
            if osp.exists(out) and not self.overwrite:
                raise FileExistsError(
                    f'SaveEnhancedImagesHook: {out} exists; choose another '
                    '--show-dir or remove it')
            h, w = sample.metainfo.get('img_shape', unit.shape[-2:])[:2]
            rgb = unit[i, :, :h, :w].permute(1, 2, 0).cpu().numpy()
            mmcv.imwrite((rgb[..., ::-1] * 255).round().astype(np.uint8), out)
