"""[0, 1] RGB ↔ what a host recognizer takes: the one normalisation path.

A host data preprocessor ends with ``(x − mean) / std`` on [0, 255] pixels
in its own channel order (RGB when it converts, ``bgr_to_rgb`` /
``to_rgb``, else the loader's BGR). The enhancer works on [0, 1] RGB.
:class:`HostNormalization` converts both ways; the data preprocessor
(:class:`~mmllie.models.data_preprocessors.GlobalPixelwiseEnhancer`), the
fused ONNX export and the latency benchmark all use it.
"""
from typing import Optional, Sequence

import torch
import torch.nn as nn


class HostNormalization(nn.Module):
    """A host's mean / std and channel order, as a tensor module.

    Args:
        mean (Sequence[float], optional): Host mean (host channel order,
            [0, 255] scale). ``None``: no normalisation.
        std (Sequence[float], optional): Host std. ``None`` with a mean is
            taken as ones.
        rgb (bool): Whether the host hands RGB to the recognizer (else
            BGR). Defaults to True.

    Shape:
        - ``to_unit``: (B, 3, H, W) host input → (B, 3, H, W) RGB in [0, 1].
        - ``from_unit``: the inverse.

    Example:
        >>> norm = HostNormalization([123.675, 116.28, 103.53],
        ...                          [58.395, 57.12, 57.375], rgb=False)
        >>> x = torch.rand(1, 3, 5, 7)
        >>> torch.allclose(norm.to_unit(norm.from_unit(x)), x, atol=1e-6)
        True
    """

    def __init__(self,
                 mean: Optional[Sequence[float]] = None,
                 std: Optional[Sequence[float]] = None,
                 rgb: bool = True) -> None:
        super().__init__()
        self.normalized = mean is not None
        self.rgb = rgb
        mean = torch.as_tensor(
            mean if mean is not None else [0.] * 3,
            dtype=torch.float32).reshape(1, 3, 1, 1)
        std = torch.as_tensor(
            std if std is not None else [1.] * 3,
            dtype=torch.float32).reshape(1, 3, 1, 1)
        self.register_buffer('mean', mean.clone(), persistent=False)
        self.register_buffer('std', std.clone(), persistent=False)

    @classmethod
    def from_host(cls,
                  cfg: dict,
                  host: Optional[nn.Module] = None) -> 'HostNormalization':
        """From a host data-preprocessor config (``mean``, ``std``,
        ``bgr_to_rgb`` / ``to_rgb``) and, where built, the host itself
        (its ``_enable_normalize`` and buffers are what it really does)."""
        rgb = bool(cfg.get('bgr_to_rgb', False) or cfg.get('to_rgb', False))
        if host is not None:
            if not getattr(host, '_enable_normalize', False):
                return cls(None, None, rgb)
            return cls(host.mean.flatten().tolist(),
                       host.std.flatten().tolist(), rgb)
        mean, std = cfg.get('mean'), cfg.get('std')
        if mean is not None and std is None:
            std = [1.] * 3
        return cls(mean, std, rgb)

    def to_unit(self, x: torch.Tensor) -> torch.Tensor:
        """Host input → [0, 1] RGB."""
        if self.normalized:
            x = x * self.std.to(x.dtype) + self.mean.to(x.dtype)
        x = x / 255.
        return x if self.rgb else x.flip(1)

    def from_unit(self, x: torch.Tensor) -> torch.Tensor:
        """[0, 1] RGB → host input."""
        x = x if self.rgb else x.flip(1)
        x = x * 255.
        if self.normalized:
            x = (x - self.mean.to(x.dtype)) / self.std.to(x.dtype)
        return x

    def extra_repr(self) -> str:
        return f'normalized={self.normalized}, rgb={self.rgb}'
