"""The data path of mmllie in one place.

::

    uint8 BGR images → host preprocessor (cast, stack, BGR→RGB, pad, batch
    augments, mean/std) → undo mean/std → /255 → [darkening] → [exposure
    augment] → enhancer on [0, 1] RGB → ×255 → host mean/std → frozen
    recognizer → task loss → enhancer

The host runs unchanged, so whatever it does (padding, batch augments,
data-sample metainfo) stays exactly as it was; the enhancer sees each
image's un-padded region (the host adapter's
:meth:`~mmllie.hosts.BaseHost.valid_sizes`) and padded pixels keep the
host's pad value. :meth:`GlobalPixelwiseEnhancer.enhance_batch` is the one
way a host batch becomes an enhanced batch: the supervised forward, the
label-free distiller and the tools call it.
"""
import copy
import math
from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
from mmengine.model import BaseDataPreprocessor
from mmengine.registry import MODELS as MMENGINE_MODELS

from mmllie.hosts import BaseHost, host_of
from mmllie.models.frozen import check_training_allowed
from mmllie.registry import MODELS
from mmllie.utils.finite import where_iter
from mmllie.utils.rng import ModuleGenerator
from ..enhancers.builder import build_enhancer
from .host_normalization import HostNormalization

#: The name of the wrapper's ``enhancer_off`` switch buffer (its
#: ``state_dict`` key below the wrapper's prefix).
OFF_BUFFER = 'enhancer_off'


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
        darkening (dict, optional): In training mode only, a batch
            darkening (``dict(type='mmllie.BatchLowLightSynthesis',
            level='hard', to_uint8=True)``) applied on the device to the
            [0, 1] RGB batch before the enhancer: the labelled recipe's
            ``mmllie.LowLightSynthesis`` without the data loader's CPU
            time, same model and parameter distributions. Labels are
            untouched. Defaults to None.
        check_finite (bool): Raise on NaN / Inf input or enhancer output.
            Defaults to True.
        channels_last (bool): Hand the batch to the enhancer (and so to the
            recognizer) in ``torch.channels_last`` memory format: the same
            computation (equal up to float rounding) with the faster
            convolution kernels oneDNN (CPU) and cuDNN have for it
            (measured in ``docs/en/benchmarks/speed.md``). Defaults to False.
        recognizer_layout (dict, optional): Memory format the recognizer
            gets the enhanced batch in, by device type: ``'contiguous'``
            or ``'channels_last'`` (a device type not listed keeps the
            enhancer's layout). Defaults to ``dict(cuda='contiguous')``:
            on an H200, DeepLabV3+ MobileNetV2's depthwise convolutions
            ran 1.65× slower in channels_last (float32), so on CUDA the
            enhancer may run channels_last and the recognizer still gets
            NCHW; on a CPU both run in the ``channels_last`` layout
            (faster in oneDNN, ``docs/en/benchmarks/speed.md``).
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
                 darkening: Optional[dict] = None,
                 recognizer_layout: Optional[dict] = dict(cuda='contiguous'),
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
        #: what is specific to the host's codebase (valid sizes)
        self.host_adapter: BaseHost = host_of(self.host) or BaseHost()
        #: [0, 1] RGB ↔ the host's normalised input
        self.normalization = HostNormalization.from_host(host, self.host)
        self.enhancer = build_enhancer(enhancer) if enhancer else None
        self.darkening = build_enhancer(darkening) if darkening else None
        #: the enhancer config as given (checkpoint meta, ``--guard``)
        self.enhancer_cfg = copy.deepcopy(enhancer)
        self.check_finite = check_finite
        self.train_recognizer = train_recognizer
        self.channels_last = channels_last
        formats = dict(
            contiguous=torch.contiguous_format,
            channels_last=torch.channels_last)
        self.recognizer_layout = {}
        for device, layout in (recognizer_layout or {}).items():
            if layout not in formats:
                raise ValueError(
                    'GlobalPixelwiseEnhancer: recognizer_layout values must '
                    f'be one of {list(formats)}, got {device}={layout!r}')
            self.recognizer_layout[device] = formats[layout]
        #: set ``keep_enhanced = True`` to keep the last enhanced batch
        #: (``last_enhanced``, [0, 1] RGB) for hooks that save it
        self.keep_enhanced = False
        self.last_enhanced: Optional[torch.Tensor] = None
        #: set by :meth:`set_enhancer_off` (the guard keeping no enhancer):
        #: a pass-through that checkpoints carry
        self.register_buffer(OFF_BUFFER, torch.tensor(False))
        # its value as a Python bool, kept in step by set_enhancer_off and
        # loading: the data path reads it without a device sync and ONNX
        # tracing sees a constant
        self._enhancer_off = False

    def set_enhancer_off(self, off: bool = True) -> None:
        """Pass images through without the enhancer (``off=True``), or
        use it again; saved with the model's ``state_dict``.

        :class:`mmllie.EnhancerGuardHook` sets it when every enhancer state
        is worse than no enhancer on the validation set, so that the kept
        checkpoint tests, infers and deploys as the recognizer alone.
        """
        self.enhancer_off.fill_(bool(off))
        self._enhancer_off = bool(off)

    @property
    def enhancer_active(self) -> bool:
        """Whether the enhancer is applied (built and not switched off)."""
        return self.enhancer is not None and not self._enhancer_off

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict,
                              missing_keys, unexpected_keys,
                              error_msgs) -> None:
        key = prefix + OFF_BUFFER
        if key not in state_dict:  # e.g. a recognizer's own: enhancer on
            state_dict[key] = torch.tensor(False)
        super()._load_from_state_dict(state_dict, prefix, local_metadata,
                                      strict, missing_keys, unexpected_keys,
                                      error_msgs)
        self._enhancer_off = bool(self.enhancer_off)

    @property
    def host_is_rgb(self) -> bool:
        """Whether the host hands RGB (else the loader's BGR) over."""
        return self.normalization.rgb

    @property
    def normalized(self) -> bool:
        """Whether the host normalises with a mean / std."""
        return self.normalization.normalized

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
        if isinstance(host, GlobalPixelwiseEnhancer):
            raise TypeError(
                'GlobalPixelwiseEnhancer: `host` is itself a mmllie.'
                'GlobalPixelwiseEnhancer (two nested wrappers, e.g. a config '
                'that wraps an already wrapped data_preprocessor). Give '
                "`host` the recognizer's own data preprocessor config (e.g. "
                "dict(type='SegDataPreProcessor', ...)) and put the enhancer "
                'options on the one wrapper.')
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

    def to_unit(self, x: torch.Tensor) -> torch.Tensor:
        """Host output → [0, 1] RGB."""
        return self.normalization.to_unit(x)

    def from_unit(self, x: torch.Tensor) -> torch.Tensor:
        """[0, 1] RGB → what the recognizer expects."""
        return self.normalization.from_unit(x)

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
        return self.enhancer(img) if self.enhancer_active else img

    def forward(self, data: dict, training: bool = False) -> dict:
        """Host preprocessing with the enhancer before mean/std
        (:meth:`enhance_batch`).

        Args:
            data (dict): Data sampled from the dataloader.
            training (bool): Passed on to the host.

        Returns:
            dict: The host's output with enhanced ``inputs``.
        """
        return self.enhance_batch(data, training)

    def enhance_batch(self,
                      data: dict,
                      training: bool = False,
                      darkening: Optional[nn.Module] = None,
                      keep_day: bool = False) -> dict:
        """Host batch → enhanced batch: the one data path.

        Input checks (3 channels, finite), the host (cast, stack, pad,
        batch augments, mean/std), ``channels_last``, then on each image's
        valid region: [0, 1] RGB → darkening (training) → exposure augment
        (training) → enhancer → host mean/std; output checks and
        ``keep_enhanced``.

        Args:
            data (dict): Data sampled from the dataloader.
            training (bool): Training mode (host batch augments, darkening,
                exposure augment; the frozen-recognizer check).
            darkening (nn.Module, optional): Darkening applied in training
                mode instead of the configured ``darkening`` (the
                label-free distiller's dark twin).
            keep_day (bool): Also return the host batch before darkening
                and enhancement as ``day_inputs``.

        Returns:
            dict: The host's output with enhanced ``inputs`` (and
            ``day_inputs`` with ``keep_day``).
        """
        if training:
            check_training_allowed(self.enhancer, self.train_recognizer)
            if self._enhancer_off:
                raise RuntimeError(
                    'GlobalPixelwiseEnhancer: the enhancer is switched off '
                    '(enhancer_off in the loaded checkpoint: its run kept no '
                    'enhancer, every enhancer state was worse on validation)'
                    '; train from the run\'s *_trained.pth or from scratch, '
                    'or call set_enhancer_off(False).')
        sizes = self._check_inputs(data)
        data = self.host(data, training)
        if self.channels_last and data['inputs'].dim() == 4:
            data['inputs'] = data['inputs'].contiguous(
                memory_format=torch.channels_last)
        if keep_day:
            data['day_inputs'] = data['inputs']
        if not self.enhancer_active:
            return data
        sizes = self.host_adapter.valid_sizes(sizes,
                                              data.get('data_samples') or [],
                                              tuple(data['inputs'].shape[-2:]))
        darkening = darkening or self.darkening
        data['inputs'] = self._enhance_batch(data['inputs'], sizes, training,
                                             darkening if training else None)
        self._check_output(data, training)
        if self.keep_enhanced:
            self.last_enhanced = self.to_unit(data['inputs'].detach())
        layout = self.recognizer_layout.get(data['inputs'].device.type)
        if layout is not None and data['inputs'].dim() == 4:
            data['inputs'] = data['inputs'].contiguous(memory_format=layout)
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
                       training: bool = False,
                       darkening: Optional[nn.Module] = None) -> torch.Tensor:
        """Enhance each image's un-padded region of a host batch."""
        h, w = x.shape[-2:]
        unit = self.to_unit(x)
        if darkening is not None:
            unit = darkening(unit.clamp(0, 1))
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
