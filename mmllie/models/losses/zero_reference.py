"""The four zero-reference losses of Zero-DCE (Guo et al., CVPR 2020).

Each follows the official implementation (Li-Chongyi/Zero-DCE,
``Zero-DCE_code/Myloss.py``: ``L_spa``, ``L_exp``, ``L_color``, ``L_TV``),
which differs from the paper's equations in places; the differences are
noted per class. Default ``loss_weight`` values are the official ones
(``lowlight_train.py``: ``200*TV + spa + 5*col + 10*exp``).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmllie.registry import MODELS


def _check_image(x: torch.Tensor, name: str, min_size: int = 1) -> None:
    if x.dim() != 4 or x.size(-1) < min_size or x.size(-2) < min_size:
        raise ValueError(f'{name} expects a (B, C, H, W) tensor with H, W >= '
                         f'{min_size}, got shape {tuple(x.shape)}')


class _WeightedLoss(nn.Module):
    """Holds ``loss_weight`` and ``loss_name`` (mmseg loss style)."""

    def __init__(self, loss_weight: float, loss_name: str) -> None:
        super().__init__()
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    @property
    def loss_name(self) -> str:
        """Name of the loss item; the ``loss_`` prefix makes MMEngine sum
        it into the total loss."""
        return self._loss_name


@MODELS.register_module()
class SpatialConsistencyLoss(_WeightedLoss):
    """Spatial consistency loss ``L_spa`` (paper eq. 4).

    Channel means are average-pooled over 4×4 regions; for each region the
    differences to its four neighbours (left, right, up, down) must be the
    same in the enhanced and the input image. As in the official code the
    differences are signed and squared (the paper writes absolute values)
    and the pooled maps are zero-padded, so a region on the image border
    is also compared with 0, i.e. border regions are additionally anchored
    to their input brightness.

    Args:
        pool_size (int): Side of the pooled regions. Defaults to 4.
        loss_weight (float): Defaults to 1.0.
        loss_name (str): Defaults to 'loss_spa'.
    """

    def __init__(self,
                 pool_size: int = 4,
                 loss_weight: float = 1.0,
                 loss_name: str = 'loss_spa') -> None:
        super().__init__(loss_weight, loss_name)
        self.pool_size = pool_size

    def forward(self, enhanced: torch.Tensor,
                img: torch.Tensor) -> torch.Tensor:
        """Args: enhanced and input image, both (B, 3, H, W)."""
        _check_image(enhanced, type(self).__name__, self.pool_size)
        if enhanced.shape != img.shape:
            raise ValueError(f'{type(self).__name__}: enhanced '
                             f'{tuple(enhanced.shape)} and input '
                             f'{tuple(img.shape)} shapes differ')
        k = self.pool_size
        # Signed neighbour differences are linear, so compare them on the
        # pooled difference map d: (D_e - D_i) = d_centre - d_neighbour.
        d = F.avg_pool2d((enhanced - img).mean(1, keepdim=True), k)
        h, w = d.shape[-2:]
        p = F.pad(d, (1, 1, 1, 1))
        neighbours = (p[..., 1:h + 1, :w], p[..., 1:h + 1,
                                             2:], p[..., :h,
                                                    1:w + 1], p[..., 2:,
                                                                1:w + 1])
        loss = sum((d - n).pow(2) for n in neighbours)
        return self.loss_weight * loss.mean()


@MODELS.register_module()
class ExposureControlLoss(_WeightedLoss):
    """Exposure control loss ``L_exp`` (paper eq. 5).

    The channel mean is average-pooled over non-overlapping
    ``patch_size``² patches (a partial last row/column of patches is
    dropped, as in the official ``nn.AvgPool2d``) and each patch mean is
    pulled towards ``exposure_level`` E. Squared distance as in the
    official code (the paper writes the absolute value).

    Args:
        exposure_level (float): Target well-exposedness E. Defaults to 0.6.
        patch_size (int): Defaults to 16.
        loss_weight (float): Defaults to 10.0.
        loss_name (str): Defaults to 'loss_exp'.
    """

    def __init__(self,
                 exposure_level: float = 0.6,
                 patch_size: int = 16,
                 loss_weight: float = 10.0,
                 loss_name: str = 'loss_exp') -> None:
        super().__init__(loss_weight, loss_name)
        self.exposure_level = exposure_level
        self.patch_size = patch_size

    def forward(self, enhanced: torch.Tensor) -> torch.Tensor:
        """Args: enhanced image (B, 3, H, W), H and W >= patch_size."""
        _check_image(enhanced, type(self).__name__, self.patch_size)
        mean = F.avg_pool2d(enhanced.mean(1, keepdim=True), self.patch_size)
        loss = (mean - self.exposure_level).pow(2).mean()
        return self.loss_weight * loss


@MODELS.register_module()
class ColorConstancyLoss(_WeightedLoss):
    """Colour constancy loss ``L_col`` (paper eq. 6, grey-world).

    With ``D_pq = (J_p - J_q)²`` for the channel means ``J`` of each image,
    the official code returns ``sqrt(D_rg² + D_rb² + D_gb²)`` averaged over
    the batch (the paper writes ``Σ D_pq``). The root is taken with a
    zero-safe norm, so a grey image gives 0 and a finite gradient.

    Args:
        loss_weight (float): Defaults to 5.0.
        loss_name (str): Defaults to 'loss_col'.
    """

    def __init__(self,
                 loss_weight: float = 5.0,
                 loss_name: str = 'loss_col') -> None:
        super().__init__(loss_weight, loss_name)

    def forward(self, enhanced: torch.Tensor) -> torch.Tensor:
        """Args: enhanced RGB image (B, 3, H, W)."""
        _check_image(enhanced, type(self).__name__)
        if enhanced.size(1) != 3:
            raise ValueError(f'{type(self).__name__} expects 3 channels, '
                             f'got shape {tuple(enhanced.shape)}')
        r, g, b = enhanced.mean(dim=(2, 3)).unbind(1)
        d = torch.stack([(r - g)**2, (r - b)**2, (g - b)**2], dim=1)
        return self.loss_weight * torch.linalg.vector_norm(d, dim=1).mean()


@MODELS.register_module()
class IlluminationSmoothnessLoss(_WeightedLoss):
    """Illumination smoothness loss ``L_tvA`` (paper eq. 7) on curve maps.

    Official ``L_TV``: squared vertical and horizontal differences of the
    curve maps, each summed over batch and channels, divided by the number
    of differences in one map and by the batch size, times 2.

    Args:
        loss_weight (float): Defaults to 200.0.
        loss_name (str): Defaults to 'loss_tv'.
    """

    def __init__(self,
                 loss_weight: float = 200.0,
                 loss_name: str = 'loss_tv') -> None:
        super().__init__(loss_weight, loss_name)

    def forward(self, curves: torch.Tensor) -> torch.Tensor:
        """Args: curve maps (B, 3 * n, H, W), e.g. from
        ``ZeroDCE(x, return_curves=True)``."""
        _check_image(curves, type(self).__name__)
        b, _, h, w = curves.shape
        h_tv = (curves[:, :, 1:] - curves[:, :, :-1]).pow(2).sum()
        w_tv = (curves[..., 1:] - curves[..., :-1]).pow(2).sum()
        # max(…, 1): a 1-pixel-high/wide map has no differences (sum 0).
        count_h, count_w = max((h - 1) * w, 1), max(h * (w - 1), 1)
        loss = 2 * (h_tv / count_h + w_tv / count_w) / b
        return self.loss_weight * loss
