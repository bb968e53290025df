"""OpenMMLab inferencers in front of which the enhancer runs.

The host inferencers (``MMSegInferencer``, ``MMPoseInferencer`` /
``Pose2DInferencer``, mmpretrain's ``ImageClassificationInferencer``,
mmdet's ``DetInferencer``)
build ``cfg.model`` and call ``model.test_step``, which
runs ``model.data_preprocessor``, i.e. ``mmllie.GlobalPixelwiseEnhancer``:
the enhancer runs with no special code path. These helpers pick the
inferencer of a config's ``default_scope``, find the enhancer in a model
and return the enhanced image with the prediction.
"""
import os.path as osp
from types import GeneratorType
from typing import Optional, Union

import numpy as np
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmllie.hosts import all_host_names, get_host
from mmllie.models.finder import get_enhancer_wrapper
from mmllie.models.host_pairing import check_host_pairing
from .enhance import enhance_image


def build_inferencer(config: Union[str, Config],
                     checkpoint: Optional[str] = None,
                     device: Optional[str] = None):
    """The host's own inferencer for an mmllie config.

    Args:
        config (str | Config): A config whose ``model.data_preprocessor``
            is ``mmllie.GlobalPixelwiseEnhancer``; its ``default_scope``
            (mmseg, mmpose, mmpretrain, mmdet) picks the inferencer.
        checkpoint (str, optional): The trained (enhancer + recognizer)
            checkpoint.
        device (str, optional): e.g. 'cpu', 'cuda:0'.

    Returns:
        BaseInferencer: The host inferencer. A top-down pose model gets
        ``det_model='whole_image'`` (the whole image is the person box;
        build ``MMPoseInferencer`` yourself to add a detector).
    """
    if not config:  # never let the inferencer read a config from a file
        raise ValueError('build_inferencer: a config is required; the '
                         'config text stored in a checkpoint is never read')
    if isinstance(config, str) and not osp.isfile(config):
        raise FileNotFoundError(f'config file {config} does not exist')
    if checkpoint is not None and not osp.isfile(checkpoint):
        raise FileNotFoundError(f'checkpoint file {checkpoint} does not '
                                'exist')
    cfg = Config.fromfile(config) if isinstance(config, str) else config
    scope = cfg.get('default_scope')
    if scope not in all_host_names():
        raise ValueError(f'{getattr(cfg, "filename", config)}: default_scope '
                         f'{scope!r} has no inferencer; expected one of '
                         f'{all_host_names()}')
    init_default_scope(scope)  # mmpretrain's inferencer does not set it
    inferencer = get_host(scope).build_inferencer(cfg, checkpoint, device)
    check_host_pairing(inferencer.model)
    return inferencer


def inference_enhancer_recognizer(inferencer, img: Union[str, np.ndarray],
                                  **kwargs) -> dict:
    """Predict on one image through an inferencer; return the enhanced
    image too.

    Args:
        inferencer: A host inferencer built on an mmllie config (e.g. by
            :func:`build_inferencer`, or ``MMSegInferencer(cfg, ckpt)``).
        img (str | np.ndarray): Image path or BGR array.
        **kwargs: Passed to the inferencer's ``__call__``.

    Returns:
        dict: ``prediction`` (the host's data sample) and ``enhanced`` (the
        whole input image through the enhancer, BGR uint8). For a
        top-down pose model the recognizer sees person crops; ``enhanced``
        shows the enhancer on the full frame.
    """
    wrapper = get_enhancer_wrapper(inferencer.model)
    enhancer = wrapper.enhancer if wrapper.enhancer_active else None
    if isinstance(img, str):
        import mmcv
        path, img = img, mmcv.imread(img)
        if img is None:
            raise FileNotFoundError(f'cannot read image {path}')
    out = inferencer(img, return_datasamples=True, **kwargs)
    if isinstance(out, GeneratorType):  # MMPoseInferencer
        out = next(out)
    # mmseg returns the data sample itself, the others a dict
    preds = out['predictions'] if isinstance(out, dict) else out
    while isinstance(preds, (list, tuple)):
        preds = preds[0]
    device = next(inferencer.model.parameters()).device
    enhanced = img if enhancer is None else enhance_image(
        enhancer, img, device=str(device))
    return dict(prediction=preds, enhanced=enhanced)
