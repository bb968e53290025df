"""The data path of mmllie in one place (DESIGN §1).

::

    uint8 BGR images → host preprocessor (cast, stack, BGR→RGB, pad, batch
    augments, mean/std) → undo mean/std → /255 → enhancer on [0, 1] RGB
    → ×255 → host mean/std → frozen recognizer → task loss → enhancer

The host runs unchanged, so whatever it does (padding, batch augments,
data-sample metainfo) stays exactly as it was; the enhancer sees each
image's un-padded region and padded pixels keep the host's pad value.
"""
from typing import List, Optional, Sequence, Tuple

import torch
from mmengine.model import BaseDataPreprocessor
from mmengine.registry import MODELS as MMENGINE_MODELS

from mmllie.registry import MODELS


@MODELS.register_module()
class GlobalPixelwiseEnhancer(BaseDataPreprocessor):
    """Run a trainable enhancer inside a recognizer's data preprocessor.

    Args:
        host (dict): The recognizer's own data-preprocessor config, e.g.
            ``dict(type='SegDataPreProcessor', mean=..., std=...,
            bgr_to_rgb=True)``. Built in the current default scope
            (mmseg, mmpose, mmpretrain, mmdet); a scope prefix such as
            ``'mmseg.SegDataPreProcessor'`` works from any scope.
        enhancer (dict, optional): Enhancer config. ``None`` makes the
            wrapper a pass-through. Defaults to ``dict(type='GPLLIE')``
            (GEM + PAM).
        check_finite (bool): Raise on NaN / Inf input. Defaults to True.
        **host_defaults: Arguments a host model injects into its data
            preprocessor config (mmpretrain's ``ImageClassifier`` passes
            ``batch_augments=train_cfg``); forwarded to ``host`` where it
            does not set them itself.
    """

    def __init__(self,
                 host: dict,
                 enhancer: Optional[dict] = dict(type='GPLLIE'),
                 check_finite: bool = True,
                 **host_defaults) -> None:
        super().__init__()
        host = {**host_defaults, **host} if isinstance(host, dict) else host
        self.host = self._build_host(host)
        self.enhancer = self._build_enhancer(enhancer) if enhancer else None
        self.check_finite = check_finite
        # The enhancer works on RGB; a host without bgr_to_rgb hands over
        # the loader's BGR order.
        self.host_is_rgb = bool(
            host.get('bgr_to_rgb', False) or host.get('to_rgb', False))
        enabled = getattr(self.host, '_enable_normalize', False)
        self.normalized = bool(enabled)

    @staticmethod
    def _build_host(cfg: dict) -> BaseDataPreprocessor:
        if not isinstance(cfg, dict) or 'type' not in cfg:
            raise TypeError('GlobalPixelwiseEnhancer: `host` must be the '
                            "recognizer's data-preprocessor config dict with "
                            f'a "type" key, got {cfg!r}')
        for key in ('mean', 'std'):
            value = cfg.get(key)
            if value is not None and len(value) != 3:
                raise ValueError(
                    f'GlobalPixelwiseEnhancer: host `{key}` must have 3 '
                    f'values (R, G, B) for an RGB enhancer, got {value!r}')
        try:
            host = MMENGINE_MODELS.build(cfg)
        except KeyError as e:
            if 'not in the' not in str(e):
                raise
            raise KeyError(
                f'GlobalPixelwiseEnhancer: unknown host data preprocessor '
                f'type {cfg["type"]!r} in the current scope. Use the host '
                "config's default_scope, or a scoped name such as "
                "'mmseg.SegDataPreProcessor', 'mmpose.PoseDataPreprocessor',"
                " 'mmpretrain.ClsDataPreprocessor'.") from e
        if not isinstance(host, BaseDataPreprocessor):
            raise TypeError('GlobalPixelwiseEnhancer: `host` must build a '
                            f'data preprocessor, got {type(host).__name__}')
        return host

    @staticmethod
    def _build_enhancer(cfg: dict) -> torch.nn.Module:
        """Build an enhancer; bare mmllie names resolve from any scope."""
        cfg = dict(cfg)
        name = cfg.get('type')
        if isinstance(name, str) and '.' not in name and \
                name in MODELS.module_dict:
            cfg['type'] = f'mmllie.{name}'
        return MODELS.build(cfg)

    def _check_inputs(self, data: dict) -> List[Tuple[int, int]]:
        """Validate channels / finiteness; return each image's H×W."""
        inputs = data['inputs']
        samples = data.get('data_samples') or []
        items: Sequence[torch.Tensor] = inputs if isinstance(
            inputs, (list, tuple)) else list(inputs)
        sizes = []
        for i, img in enumerate(items):
            where = f'batch item {i}'
            if i < len(samples) and hasattr(samples[i], 'metainfo'):
                path = samples[i].metainfo.get('img_path')
                where += f' ({path})' if path else ''
            if img.dim() != 3 or img.shape[0] != 3:
                raise ValueError(
                    f'GlobalPixelwiseEnhancer: {where} has shape '
                    f'{tuple(img.shape)}; expected a 3-channel image '
                    '(3, H, W). Load grey or RGBA images as colour, e.g. '
                    "LoadImageFromFile(color_type='color').")
            if self.check_finite and img.is_floating_point() and \
                    not torch.isfinite(img).all():
                raise ValueError(f'GlobalPixelwiseEnhancer: {where} '
                                 'contains NaN or Inf values.')
            sizes.append(tuple(img.shape[-2:]))
        return sizes

    @staticmethod
    def _valid_sizes(sizes: List[Tuple[int, int]], data: dict,
                     hw: Tuple[int, int]) -> List[Tuple[int, int]]:
        """Each image's un-padded H×W inside the host's output batch.

        mmdet's ``DetDataPreprocessor`` marks its samples with
        ``batch_input_shape`` and keeps ``img_shape`` up to date through
        batch augments that resize the padded batch
        (``BatchSyncRandomResize``); there ``img_shape`` is the valid
        region. Other hosts do not resize after padding: the input sizes
        hold.
        """
        samples = data.get('data_samples') or []
        metas = [getattr(s, 'metainfo', {}) for s in samples]
        if len(metas) == len(sizes) and all(
                'batch_input_shape' in m and 'img_shape' in m for m in metas):
            sizes = [tuple(m['img_shape'][:2]) for m in metas]
        h, w = hw
        return [(min(sh, h), min(sw, w)) for sh, sw in sizes]

    def to_unit(self, x: torch.Tensor) -> torch.Tensor:
        """Host output → [0, 1] RGB."""
        if self.normalized:
            x = x * self.host.std + self.host.mean
        x = x / 255.
        return x if self.host_is_rgb else x.flip(1)

    def from_unit(self, x: torch.Tensor) -> torch.Tensor:
        """[0, 1] RGB → what the recognizer expects."""
        x = x if self.host_is_rgb else x.flip(1)
        x = x * 255.
        if self.normalized:
            x = (x - self.host.mean) / self.host.std
        return x

    def enhance(self, img: torch.Tensor) -> torch.Tensor:
        """Apply the enhancer to (B, 3, H, W) RGB in [0, 1]."""
        return img if self.enhancer is None else self.enhancer(img)

    def forward(self, data: dict, training: bool = False) -> dict:
        """Host preprocessing with the enhancer before mean/std.

        Args:
            data (dict): Data sampled from the dataloader.
            training (bool): Passed on to the host.

        Returns:
            dict: The host's output with enhanced ``inputs``.
        """
        sizes = self._check_inputs(data)
        data = self.host(data, training)
        if self.enhancer is None:
            return data
        x = data['inputs']
        sizes = self._valid_sizes(sizes, data, tuple(x.shape[-2:]))
        h, w = x.shape[-2:]
        unit = self.to_unit(x)
        if all(s == (h, w) for s in sizes) or len(sizes) != x.shape[0]:
            data['inputs'] = self.from_unit(self.enhance(unit))
            return data
        out = x.clone()
        for i, (sh, sw) in enumerate(sizes):
            enhanced = self.enhance(unit[i:i + 1, :, :sh, :sw])
            out[i:i + 1, :, :sh, :sw] = self.from_unit(enhanced)
        data['inputs'] = out
        return data

    def _apply_to_host(self, name: str, *args, **kwargs):
        result = getattr(super(), name)(*args, **kwargs)
        getattr(self.host, name)(*args, **kwargs)
        return result

    def to(self, *args, **kwargs) -> 'GlobalPixelwiseEnhancer':
        return self._apply_to_host('to', *args, **kwargs)

    def cuda(self, *args, **kwargs) -> 'GlobalPixelwiseEnhancer':
        return self._apply_to_host('cuda', *args, **kwargs)

    def cpu(self, *args, **kwargs) -> 'GlobalPixelwiseEnhancer':
        return self._apply_to_host('cpu', *args, **kwargs)
