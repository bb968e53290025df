"""Enhance plain images (numpy, as OpenCV reads them) with an enhancer.

Every format OpenCV reads is handled explicitly: 8-bit and 16-bit (and
float in [0, 1]), BGR, greyscale (``(H, W)`` or ``(H, W, 1)``) and BGRA.
The enhancer sees RGB in [0, 1]; the result has the input's dtype and
layout: a grey image is enhanced as three equal channels and written back
as the luma of the result, an alpha channel is kept unchanged. The image
is a host input without mean / std (BGR on [0, 255] once rescaled from its
own full scale), so ``HostNormalization`` (the host-normalisation module
of the data path) converts it to and from [0, 1] RGB.
"""
from typing import Iterable, Iterator, List, Optional, Tuple

import cv2
import numpy as np
import torch
import torch.nn as nn

from mmllie.models.data_preprocessors.host_normalization import \
    HostNormalization

#: dtype → value of full scale.
_SCALES = {np.dtype(np.uint8): 255., np.dtype(np.uint16): 65535.}
#: An OpenCV image is what a host without mean / std hands over: BGR on
#: [0, 255].
_OPENCV = HostNormalization(rgb=False)


def _full_scale(dtype: np.dtype) -> Tuple[float, torch.dtype]:
    """Full-scale value of ``dtype`` and the dtype to rescale in: float64
    where the scale is not 255, so that rescaling to and from [0, 255]
    rounds once, as dividing by (or multiplying with) the scale would."""
    full = _SCALES.get(dtype, 1.)
    return full, torch.float32 if full == 255. else torch.float64


def image_to_unit(img: np.ndarray,
                  name: str = 'image') -> Tuple[torch.Tensor, dict]:
    """OpenCV image → (3, H, W) RGB float tensor in [0, 1] and its layout.

    Args:
        img (np.ndarray): ``(H, W)``, ``(H, W, 1)``, ``(H, W, 3)`` BGR or
            ``(H, W, 4)`` BGRA; uint8, uint16 or float in [0, 1].
        name (str): Used in error messages (e.g. the file path).

    Returns:
        tuple[Tensor, dict]: The tensor and what :func:`unit_to_image`
        needs to restore the layout (dtype, grey, alpha).
    """
    if not isinstance(img, np.ndarray):
        raise TypeError(f'{name}: expected a numpy image, got {type(img)}')
    if img.dtype not in _SCALES and img.dtype.kind != 'f':
        raise TypeError(f'{name}: unsupported dtype {img.dtype}; expected '
                        'uint8, uint16 or float in [0, 1]')
    channels = 1 if img.ndim == 2 else img.shape[2] if img.ndim == 3 else -1
    if channels not in (1, 3, 4):
        raise ValueError(f'{name}: unsupported shape {img.shape}; expected '
                         '(H, W), (H, W, 1), (H, W, 3) BGR or (H, W, 4) BGRA')
    info = dict(dtype=img.dtype, channels=channels, ndim=img.ndim, alpha=None)
    full, work = _full_scale(img.dtype)
    x = torch.from_numpy(img.astype(np.float32)).to(work)
    if full != 255.:
        x = x.mul_(255.).div_(full)  # in place: x is a fresh copy
    if channels == 1:
        x = x.reshape(*x.shape[:2], 1).expand(-1, -1, 3)
    elif channels == 4:
        info['alpha'] = img[..., 3:].copy()
        x = x[..., :3]
    rgb = _OPENCV.to_unit(x.permute(2, 0, 1)[None])[0]
    return rgb.to(torch.float32).contiguous(), info


def unit_to_image(x: torch.Tensor, info: dict) -> np.ndarray:
    """(3, H, W) RGB in [0, 1] → an image in the layout of ``info``.

    A grey image gets the luma of the result, taken on its own scale.
    """
    dtype = info['dtype']
    full, work = _full_scale(dtype)
    bgr = _OPENCV.from_unit(x.detach().clamp(0, 1)[None].to(work))[0]
    if full != 255.:
        bgr = bgr.mul_(full).div_(255.)
    out = np.ascontiguousarray(
        bgr.permute(1, 2, 0).cpu().numpy(), dtype=np.float32)
    if info['channels'] == 1:
        out = cv2.cvtColor(out, cv2.COLOR_BGR2GRAY)
        out = out[..., None] if info['ndim'] == 3 else out
    # else BGR; BGRA gets its alpha back below
    out = np.round(out).astype(dtype) if dtype in _SCALES else \
        out.astype(dtype)
    if info['alpha'] is not None:
        out = np.concatenate([out, info['alpha']], axis=2)
    return out


#: Images with more pixels than this are enhanced tile by tile by default
#: (:func:`enhance_tiled`); about 2 GB of activations for GEM + PAM.
TILE_ABOVE = 2048 * 2048
#: Default tile (without overlap) and overlap, in pixels.
TILE_SIZE = 1024
TILE_OVERLAP = 64


def supports_tiling(enhancer: nn.Module) -> bool:
    """Whether :func:`enhance_tiled` reproduces ``enhancer``: a
    :class:`~mmllie.models.enhancers.GPLLIE` (``x_ge + PAM(x_ge)``) whose
    PAM is the full-resolution UNet (or absent)."""
    from mmllie.models.enhancers import GPLLIE
    from mmllie.models.enhancers.pam import PixelwiseAdjustmentModule
    return isinstance(enhancer, GPLLIE) and \
        type(enhancer).forward is GPLLIE.forward and (
            enhancer.pam is None
            or type(enhancer.pam) is PixelwiseAdjustmentModule)


@torch.no_grad()
def enhance_tiled(enhancer: nn.Module,
                  x: torch.Tensor,
                  tile: int = TILE_SIZE,
                  overlap: int = TILE_OVERLAP) -> torch.Tensor:
    """GEM + PAM on a large image with bounded memory.

    GEM's gains come from the whole image (its 32×32 thumbnail), so
    ``x_ge = gains · x`` is exactly the untiled one; PAM then runs on
    ``tile × tile`` regions, each extended by ``overlap`` pixels on every
    side (cut to the image), and only each region's centre is kept. Tiles
    start on PAM's stride, and an overlap larger than PAM's receptive field
    (about 46 pixels for the default UNet) makes the result equal to the
    untiled output up to float rounding; peak memory is that of one
    extended tile instead of the whole image.

    Args:
        enhancer (nn.Module): An enhancer for which
            :func:`supports_tiling` holds.
        x (Tensor): (B, 3, H, W) RGB in [0, 1].
        tile (int): Tile size in pixels, a multiple of PAM's stride.
            Defaults to :data:`TILE_SIZE`.
        overlap (int): Extension of each tile on each side, a multiple of
            PAM's stride. Defaults to :data:`TILE_OVERLAP`.

    Returns:
        Tensor: The enhanced batch, as ``enhancer(x)`` would return it.
    """
    if not supports_tiling(enhancer):
        raise TypeError(f'{type(enhancer).__name__} cannot be enhanced tile '
                        'by tile (a GPLLIE with the full-resolution PAM '
                        'can); enhance the whole image instead.')
    x_ge = enhancer.global_enhance(x)
    pam = enhancer.pam
    if pam is None:
        return x_ge
    stride = pam.stride
    if tile <= 0 or tile % stride or overlap < 0 or overlap % stride:
        raise ValueError(f'enhance_tiled: tile ({tile}) and overlap '
                         f'({overlap}) must be multiples of PAM\'s stride '
                         f'{stride} (tile > 0).')
    h, w = x.shape[-2:]
    out = x_ge.clone()
    for top in range(0, h, tile):
        for left in range(0, w, tile):
            t0, l0 = max(top - overlap, 0), max(left - overlap, 0)
            t1 = min(top + tile + overlap, h)
            l1 = min(left + tile + overlap, w)
            bottom, right = min(top + tile, h), min(left + tile, w)
            f = pam(x_ge[..., t0:t1, l0:l1])
            out[..., top:bottom, left:right] += \
                f[..., top - t0:bottom - t0, left - l0:right - l0]
    return out


@torch.no_grad()
def enhance_batches(enhancer: nn.Module,
                    images: Iterable[np.ndarray],
                    batch_size: int = 4,
                    device: str = 'cpu',
                    names: Optional[Iterable[str]] = None,
                    tile_above: Optional[int] = TILE_ABOVE,
                    tile: int = TILE_SIZE,
                    overlap: int = TILE_OVERLAP) -> Iterator[np.ndarray]:
    """Enhance a stream of images, batching consecutive equal sizes.

    Images of any size are accepted; consecutive images of the same H×W
    (e.g. video frames) go through the enhancer together, up to
    ``batch_size`` at a time. Results come out in input order, one per
    image, so a video is streamed without being held in memory.

    Args:
        enhancer (nn.Module): Maps (B, 3, H, W) RGB in [0, 1] to the same.
        images (Iterable[np.ndarray]): OpenCV images (see
            :func:`image_to_unit`).
        batch_size (int): Most images per forward pass. Defaults to 4.
        device (str): Device of ``enhancer``. Defaults to 'cpu'.
        names (Iterable[str], optional): Names for error messages.
        tile_above (int, optional): Images with more pixels are enhanced
            one at a time, tile by tile (:func:`enhance_tiled`), when the
            enhancer allows it (:func:`supports_tiling`); ``None`` never
            tiles. Defaults to :data:`TILE_ABOVE`.
        tile (int): Tile size. Defaults to :data:`TILE_SIZE`.
        overlap (int): Tile overlap. Defaults to :data:`TILE_OVERLAP`.

    Yields:
        np.ndarray: Each enhanced image, layout and dtype of its input.
    """
    names = iter(names) if names is not None else None
    pending: List[Tuple[torch.Tensor, dict]] = []

    tiled = tile_above is not None and supports_tiling(enhancer)
    if tiled and enhancer.pam is not None:  # refuse before any output
        stride = enhancer.pam.stride
        if tile <= 0 or tile % stride or overlap < 0 or overlap % stride:
            raise ValueError(f'tile size {tile} and overlap {overlap} must '
                             f'be multiples of PAM\'s stride {stride}.')

    def flush() -> List[np.ndarray]:
        batch = torch.stack([t for t, _ in pending]).to(device)
        if tiled and batch.shape[-2] * batch.shape[-1] > tile_above:
            out = torch.cat([
                enhance_tiled(enhancer, b[None], tile, overlap).float().cpu()
                for b in batch
            ])
        else:
            out = enhancer(batch).float().cpu()
        result = [unit_to_image(o, info) for o, (_, info) in zip(out, pending)]
        pending.clear()
        return result

    for i, img in enumerate(images):
        name = next(names) if names is not None else f'image {i}'
        item = image_to_unit(img, name)
        big = tiled and item[0].shape[-2] * item[0].shape[-1] > tile_above
        if pending and (item[0].shape != pending[0][0].shape
                        or len(pending) >= (1 if big else batch_size)):
            yield from flush()
        pending.append(item)
    if pending:
        yield from flush()


def enhance_image(enhancer: nn.Module,
                  img: np.ndarray,
                  device: str = 'cpu') -> np.ndarray:
    """Enhance one OpenCV image; same layout and dtype out.

    Example:
        >>> from mmllie.registry import MODELS
        >>> enhancer = MODELS.build(dict(type='mmllie.GPLLIE')).eval()
        >>> enhance_image(enhancer, np.zeros((37, 53), np.uint16)).shape
        (37, 53)
    """
    return next(enhance_batches(enhancer, [img], 1, device))
