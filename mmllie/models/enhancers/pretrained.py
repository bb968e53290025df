"""An enhancer trained elsewhere, in front of a frozen recognizer."""
import os.path as osp

import torch
from mmengine.model import BaseModule
from mmengine.runner.checkpoint import _load_checkpoint

from mmllie.registry import MODELS
from .builder import build_enhancer

#: see mmllie.checkpoint.keys (kept here: no apis import at build)
OWN_WEIGHTS_ATTR = 'mmllie_weights_from'


@MODELS.register_module()
class EmbeddedEnhancer(BaseModule):
    """An enhancer held as ``self.enhancer``, its weights those of the model.

    What a checkpoint stores in place of :class:`PretrainedEnhancer`: the
    same module tree and state-dict keys (``enhancer.*``), without the file
    the weights were first read from (they are in the checkpoint itself),
    so an exported enhancer that nests a pretrained one (e.g. the frozen
    ``denoiser`` of :class:`mmllie.NoiseAdaptiveSmoothing`) loads from its
    own file alone.

    Args:
        enhancer (dict): The enhancer's config.
    """

    def __init__(self, enhancer: dict) -> None:
        super().__init__()
        self.enhancer = build_enhancer(enhancer)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Enhance ``x`` (B, 3, H, W) RGB in [0, 1]."""
        return self.enhancer(x)


@MODELS.register_module()
class PretrainedEnhancer(EmbeddedEnhancer):
    """An enhancer with the weights of an enhancer-only checkpoint.

    ``enhancer=dict(type='PretrainedEnhancer', enhancer=dict(type=
    'ZeroDCE'), checkpoint='zero_dce.pth')`` in
    ``mmllie.GlobalPixelwiseEnhancer`` evaluates an enhancer trained
    elsewhere (e.g. Zero-DCE by its own losses, exported with
    ``tools/model_converters/export_enhancer.py``) in front of a frozen
    recognizer. As with mmengine's ``init_cfg=dict(type='Pretrained')``
    nothing is read when the model is built: the weights are loaded by
    ``init_weights()`` (training) or before the first forward (testing,
    where MMEngine calls no ``init_weights``), after the Runner's
    ``load_from``, so the recognizer checkpoint given to ``tools/test.py``
    never replaces them. A checkpoint of the model stores it as an
    :class:`EmbeddedEnhancer` (the weights travel with the checkpoint).

    Args:
        checkpoint (str): File written by
            :func:`mmllie.apis.export_enhancer`.
        enhancer (dict): The enhancer's config, e.g. ``dict(type='ZeroDCE')``
            (checked against the one stored in the checkpoint).
    """

    def __init__(self, checkpoint: str, enhancer: dict) -> None:
        super().__init__(enhancer)
        self.checkpoint = checkpoint
        # tools/test.py's key check: these weights come from their own file
        setattr(self, OWN_WEIGHTS_ATTR, checkpoint)
        self.enhancer_type = str(enhancer['type']).split('.')[-1]
        self.loaded = False

    def load_weights(self) -> None:
        """Load the checkpoint into the enhancer (strict, once).

        Raises:
            FileNotFoundError: naming the missing file and how to make it.
            KeyError: if it holds another enhancer or other weights.
        """
        if not osp.isfile(self.checkpoint):
            raise FileNotFoundError(
                f'PretrainedEnhancer: enhancer checkpoint {self.checkpoint} '
                'does not exist; write it with tools/model_converters/'
                'export_enhancer.py TRAINING_CHECKPOINT OUT_FILE, or set '
                'model.data_preprocessor.enhancer.checkpoint')
        ckpt = _load_checkpoint(self.checkpoint, map_location='cpu')
        if 'state_dict' not in ckpt:
            raise KeyError(f'{self.checkpoint} is not an enhancer checkpoint '
                           '(no "state_dict"); export one with '
                           'tools/model_converters/export_enhancer.py')
        stored = (ckpt.get('meta', {}).get('enhancer_cfg') or {}).get('type')
        if stored and str(stored).split('.')[-1] != self.enhancer_type:
            raise KeyError(f'{self.checkpoint} holds a {stored} enhancer, '
                           f'the config asks for {self.enhancer_type}')
        missing, unexpected = self.enhancer.load_state_dict(
            ckpt['state_dict'], strict=False)
        if missing or unexpected:
            raise KeyError(
                f'{self.checkpoint} does not match {self.enhancer_type}: '
                f'missing keys {missing[:5]}, unexpected keys '
                f'{unexpected[:5]}')
        self.loaded = True

    def init_weights(self) -> None:
        """Load the pretrained weights (what ``Runner.train`` calls)."""
        self.load_weights()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Enhance ``x`` (B, 3, H, W) RGB in [0, 1]; loads weights first."""
        if not self.loaded:
            self.load_weights()
        return super().forward(x)
