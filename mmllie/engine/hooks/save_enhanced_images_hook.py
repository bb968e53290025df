"""Save the enhancer's output images during testing (``--show-dir``)."""
import os
import os.path as osp
from typing import Optional, Sequence

import mmcv
import numpy as np
import torch
from mmengine.hooks import Hook

from mmllie.models.frozen import get_enhancer
from mmllie.registry import HOOKS


@HOOKS.register_module()
class SaveEnhancedImagesHook(Hook):
    """Write each test image as the recognizer sees it after enhancement.

    Files are named after the input image (``<stem>.png``) under
    ``out_dir``; an existing file is never overwritten unless
    ``overwrite=True``.

    Args:
        out_dir (str): Output directory.
        overwrite (bool): Replace existing files. Defaults to False.
    """

    priority = 'LOW'

    def __init__(self, out_dir: str, overwrite: bool = False) -> None:
        self.out_dir = out_dir
        self.overwrite = overwrite

    @torch.no_grad()
    def after_test_iter(self,
                        runner,
                        batch_idx: int,
                        data_batch: Optional[dict] = None,
                        outputs: Optional[Sequence] = None) -> None:
        if data_batch is None:
            return
        model = runner.model
        get_enhancer(model)
        pre = model.module.data_preprocessor if hasattr(
            model, 'module') else model.data_preprocessor
        data = pre(dict(data_batch), False)
        unit = pre.to_unit(data['inputs']).clamp(0, 1)
        os.makedirs(self.out_dir, exist_ok=True)
        for i, sample in enumerate(data['data_samples']):
            path = sample.metainfo.get('img_path', f'{batch_idx}_{i}')
            stem = osp.splitext(osp.basename(str(path)))[0]
            out = osp.join(self.out_dir, f'{stem}.png')
            if osp.exists(out) and not self.overwrite:
                raise FileExistsError(
                    f'SaveEnhancedImagesHook: {out} exists; choose another '
                    '--show-dir or remove it')
            rgb = unit[i].permute(1, 2, 0).cpu().numpy()
            mmcv.imwrite((rgb[..., ::-1] * 255).round().astype(np.uint8), out)
