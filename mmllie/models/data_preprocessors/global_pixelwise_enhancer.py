"""The data path of mmllie in one place.

::

    uint8 BGR images → host preprocessor (cast, stack, BGR→RGB, pad, batch
    augments, mean/std) → undo mean/std → /255 → enhancer on [0, 1] RGB
    → ×255 → host mean/std → frozen recognizer → task loss → enhancer

The host runs unchanged, so whatever it does (padding, batch augments,
data-sample metainfo) stays exactly as it was; the enhancer sees each
image's un-padded region and padded pixels keep the host's pad value.
"""
import copy
import math
from typing import List, Optional, Sequence, Tuple

import torch
from mmengine.model import BaseDataPreprocessor
from mmengine.registry import MODELS as MMENGINE_MODELS

from mmllie.models.frozen import check_training_allowed
from mmllie.registry import MODELS
from mmllie.utils.finite import where_iter
from mmllie.utils.rng import ModuleGenerator
from ..enhancers.builder import build_enhancer


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
        exposure_augment (tuple[float, float], optional): In training mode
            only, each image's exposure is multiplied, in linear light
            (sRGB ≈ gamma 2.2), by a factor drawn log-uniformly from this
            range before the enhancer (:meth:`augment_exposure`), so that
            the enhancer learns an exposure that depends on the image
            rather than one gain for the few training images. Validation
            and test never see it. ``None`` switches it off. Defaults to
            None.
        check_finite (bool): Raise on NaN / Inf input or enhancer output.
            Defaults to True.
        channels_last (bool): Hand the batch to the enhancer (and so to the
            recognizer) in ``torch.channels_last`` memory format: the same
            computation (equal up to float rounding) with the faster
            convolution kernels oneDNN (CPU) and cuDNN have for it
            (measured in ``docs/benchmark.md``). Defaults to False.
        train_recognizer (bool): Allow training without the frozen
            guarantee (joint training of recognizer and enhancer, on
            purpose). By default a training forward is refused unless
            ``mmllie.FreezeRecognizerHook`` froze the recognizer, and a
            model without enhancer refuses to train. Defaults to False.
        **host_defaults: Arguments a host model injects into its data
            preprocessor config (mmpretrain's ``ImageClassifier`` passes
            ``batch_augments=train_cfg``); forwarded to ``host`` where it
            does not set them itself.
    """

    def __init__(self,
                 host: dict,
                 enhancer: Optional[dict] = dict(type='GPLLIE'),
                 check_finite: bool = True,
                 exposure_augment: Optional[Tuple[float, float]] = None,
                 train_recognizer: bool = False,
                 channels_last: bool = False,
                 **host_defaults) -> None:
        super().__init__()
        if exposure_augment is not None and (
                len(exposure_augment) != 2
                or not 0 < exposure_augment[0] <= exposure_augment[1]):
            raise ValueError('GlobalPixelwiseEnhancer: exposure_augment must '
                             'be None or (low, high) with 0 < low <= high, '
                             f'got {exposure_augment!r}')
        self.exposure_augment = exposure_augment
        #: random stream of the exposure augmentation (resumed exactly)
        self.rng = ModuleGenerator()
        host = {**host_defaults, **host} if isinstance(host, dict) else host
        self.host = self._build_host(host)
        self.enhancer = build_enhancer(enhancer) if enhancer else None
        #: the enhancer config as given (checkpoint meta, ``--guard``)
        self.enhancer_cfg = copy.deepcopy(enhancer)
        self.check_finite = check_finite
        self.train_recognizer = train_recognizer
        self.channels_last = channels_last
        #: set ``keep_enhanced = True`` to keep the last enhanced batch
        #: (``last_enhanced``, [0, 1] RGB) for hooks that save it
        self.keep_enhanced = False
        self.last_enhanced: Optional[torch.Tensor] = None
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

    def fresh_enhancer_state(self) -> dict:
        """``state_dict`` of a newly built enhancer (its starting state)."""
        return build_enhancer(self.enhancer_cfg).state_dict()

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

    def augment_exposure(self, x: torch.Tensor) -> torch.Tensor:
        """Random per-image exposure change of [0, 1] RGB ``x``.

        ``clip(x^2.2 · f, 0, 1)^(1/2.2)`` with ``log f ~ U(log low,
        log high)`` (:attr:`exposure_augment`).
        """
        low, high = self.exposure_augment
        log_f = torch.empty(
            x.shape[0], 1, 1, 1, device=x.device).uniform_(
                math.log(low),
                math.log(high),
                generator=self.rng.get(x.device))
        linear = x.clamp(0, 1).pow(2.2) * log_f.exp().to(x.dtype)
        return linear.clamp(0, 1).pow(1 / 2.2)

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
        if training:
            check_training_allowed(self.enhancer, self.train_recognizer)
        sizes = self._check_inputs(data)
        data = self.host(data, training)
        if self.channels_last and data['inputs'].dim() == 4:
            data['inputs'] = data['inputs'].contiguous(
                memory_format=torch.channels_last)
        if self.enhancer is None:
            return data
        sizes = self._valid_sizes(sizes, data,
                                  tuple(data['inputs'].shape[-2:]))
        data['inputs'] = self._enhance_batch(data['inputs'], sizes, training)
        self._check_output(data, training)
        if self.keep_enhanced:
            self.last_enhanced = self.to_unit(data['inputs'].detach())
        return data

    def _check_output(self, data: dict, training: bool) -> None:
        if not self.check_finite or torch.isfinite(data['inputs']).all():
            return
        bad = torch.isfinite(data['inputs']).flatten(1).all(1).logical_not()
        samples = data.get('data_samples') or []
        paths = [
            samples[i].metainfo.get('img_path', f'batch item {i}')
            if i < len(samples) and hasattr(samples[i], 'metainfo') else
            f'batch item {i}' for i in bad.nonzero().flatten().tolist()
        ]
        why = (f'{where_iter()}; training stops before this batch updates '
               'anything (too large a learning rate?)') if training else (
                   ': are the enhancer weights finite?')
        raise FloatingPointError('GlobalPixelwiseEnhancer: the enhancer '
                                 f'output holds NaN or Inf for {paths[:5]}'
                                 f'{why}')

    def _enhance_batch(self,
                       x: torch.Tensor,
                       sizes: List[Tuple[int, int]],
                       training: bool = False) -> torch.Tensor:
        """Enhance each image's un-padded region of a host batch."""
        h, w = x.shape[-2:]
        unit = self.to_unit(x)
        if training and self.exposure_augment is not None:
            unit = self.augment_exposure(unit)
        if all(s == (h, w) for s in sizes) or len(sizes) != x.shape[0]:
            return self.from_unit(self.enhance(unit))
        out = x.clone()
        for i, (sh, sw) in enumerate(sizes):
            enhanced = self.enhance(unit[i:i + 1, :, :sh, :sw])
            out[i:i + 1, :, :sh, :sw] = self.from_unit(enhanced)
        return out

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
