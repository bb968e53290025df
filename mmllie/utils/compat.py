"""Import-time fixes for the CPU OpenMMLab stack (mmcv-lite, CPU torch).

Each fix is a no-op where the full stack is installed:

* :func:`install_mmcv_ext_placeholder` -- mmcv-lite has no compiled
  ``mmcv._ext``, yet ``mmseg.models`` and ``mmpose.models`` import
  ``mmcv.ops`` at module level. A placeholder module lets them import; its
  functions raise a clear error only when called. Its spec has
  ``loader=None`` so ``mmengine``'s ``mmcv_full_available()`` stays False.
  One op is provided in plain PyTorch: ``nms`` (``mmcv.ops.nms`` /
  ``batched_nms``), which every mmdet detector's post-processing and
  Faster R-CNN's RPN call.
* :func:`install_torchvision_nms` -- a CUDA torchvision next to a CPU torch
  cannot load ``torchvision/_C.so`` and fails at import with
  ``operator torchvision::nms does not exist``. Defining that operator (a
  plain PyTorch NMS) before torchvision is imported makes it import. Where
  it is needed is read from the two packages' build tags (``+cpu``,
  ``+cu130``): a CUDA torch is left alone and no library is loaded to find
  out (only an untagged build is probed).
* :func:`allow_mmengine_checkpoint_globals` -- torch >= 2.6 loads with
  ``weights_only=True``; mmengine checkpoints carry a few harmless types
  (``HistoryBuffer``, numpy scalars). They are allow-listed one by one
  instead of switching the protection off for every load. Not a no-op on
  a CUDA stack: mmengine 0.10.7 cannot resume without it on any torch
  >= 2.6.
* :func:`install_safe_checkpoint_loaders` -- torch < 2.6 unpickles anything
  a checkpoint holds, code included. mmengine's loaders for local files and
  http(s) URLs are replaced by ones that go through
  :func:`mmllie.utils.safe_load.safe_torch_load` (``weights_only=True``, or
  on torch < 2.4 an unpickler restricted to tensors, numbers and
  containers). A no-op on torch >= 2.6.

The config resolver for ``'mmllie::'`` bases is in
:mod:`mmllie.utils.mim_config`.
"""
import importlib.machinery
import importlib.metadata
import importlib.util
import os
import os.path as osp
import sys
import types
from typing import Optional

import torch

from .safe_load import history_buffer_getattr, safe_torch_load


class _MissingExtModule(types.ModuleType):
    """Stands in for ``mmcv._ext``; every attribute raises when called."""

    def __getattr__(self, name: str):
        if name.startswith('__'):
            raise AttributeError(name)
        if name == 'nms':
            return _mmcv_nms

        def _unavailable(*args, **kwargs):
            raise RuntimeError(
                f'mmcv compiled op "{name}" is not available: mmcv-lite is '
                'installed, which has no mmcv._ext. Install the full mmcv '
                '(with compiled ops) to use this layer.')

        return _unavailable


def install_mmcv_ext_placeholder() -> bool:
    """Register a placeholder ``mmcv._ext`` when mmcv has no compiled ops.

    Returns:
        bool: True if the placeholder was installed.
    """
    if 'mmcv._ext' in sys.modules:
        return False
    if importlib.util.find_spec('mmcv') is None:
        return False
    if importlib.util.find_spec('mmcv._ext') is not None:
        return False  # full mmcv: nothing to do
    module = _MissingExtModule('mmcv._ext')
    module.__spec__ = importlib.machinery.ModuleSpec('mmcv._ext', loader=None)
    sys.modules['mmcv._ext'] = module
    return True


def _nms(dets: torch.Tensor, scores: torch.Tensor,
         iou_threshold: float) -> torch.Tensor:
    """Greedy NMS in plain PyTorch (same contract as torchvision's)."""
    if dets.numel() == 0:
        return torch.empty((0, ), dtype=torch.long, device=dets.device)
    x1, y1, x2, y2 = dets.unbind(1)
    areas = (x2 - x1).clamp(min=0) * (y2 - y1).clamp(min=0)
    order = scores.argsort(descending=True)
    keep = []
    while order.numel() > 0:
        i = order[0]
        keep.append(i)
        rest = order[1:]
        xx1 = torch.maximum(x1[i], x1[rest])
        yy1 = torch.maximum(y1[i], y1[rest])
        xx2 = torch.minimum(x2[i], x2[rest])
        yy2 = torch.minimum(y2[i], y2[rest])
        inter = (xx2 - xx1).clamp(min=0) * (yy2 - yy1).clamp(min=0)
        iou = inter / (areas[i] + areas[rest] - inter)
        order = rest[iou <= iou_threshold]
    return torch.stack(keep).to(torch.long)


def _mmcv_nms(bboxes: torch.Tensor,
              scores: torch.Tensor,
              iou_threshold: float,
              offset: int = 0) -> torch.Tensor:
    """``mmcv._ext.nms`` in plain PyTorch: kept indices, best score first."""
    if offset:
        bboxes = torch.cat([bboxes[:, :2], bboxes[:, 2:4] + offset], dim=1)
    return _nms(bboxes.float(), scores.float(), float(iou_threshold))


_TV_LIBRARY = None


def _torchvision_c_loads() -> bool:
    """Whether torchvision's compiled ops (``_C``) load beside this torch."""
    spec = importlib.util.find_spec('torchvision')
    if spec is None or not spec.submodule_search_locations:
        return True  # no torchvision: nothing to fix
    lib_dir = list(spec.submodule_search_locations)[0]
    ext = [
        s for s in importlib.machinery.EXTENSION_SUFFIXES
        if osp.exists(osp.join(lib_dir, '_C' + s))
    ]
    if not ext:
        return False
    try:
        torch.ops.load_library(osp.join(lib_dir, '_C' + ext[0]))
        return True
    except (OSError, RuntimeError, ImportError):
        return False


def _local_tag(package: str) -> Optional[str]:
    """The local part of an installed package's version (``'cu130'`` of
    ``'0.28.0+cu130'``), read from its metadata without importing it."""
    try:
        version = importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None
    return version.partition('+')[2] or ''


def _torchvision_nms_needed() -> bool:
    """Whether torchvision's compiled ops cannot load beside this torch.

    Decided from the two packages' build tags where they tell (a CUDA torch:
    never; a CPU torch beside a CUDA build of torchvision: always); only an
    untagged build is probed by loading the library.
    """
    if torch.version.cuda is not None or torch.version.hip is not None:
        return False  # a full GPU stack: change nothing
    tv_tag = _local_tag('torchvision')
    if tv_tag is None:
        return False  # no torchvision
    if tv_tag.startswith(('cu', 'rocm')):
        return True  # GPU ops next to a CPU torch cannot load
    if tv_tag == 'cpu':
        return False
    return not _torchvision_c_loads()


def install_torchvision_nms() -> bool:
    """Define ``torchvision::nms`` when torchvision's ``_C`` cannot load.

    Must run before torchvision is first imported. ``torchvision.ops.nms``
    then works too (its compiled-ops check is let through for the box
    ops): greedy NMS in plain PyTorch.

    Returns:
        bool: True if the operator was defined here.
    """
    global _TV_LIBRARY
    if 'torchvision' in sys.modules or _TV_LIBRARY is not None:
        return False
    if not _torchvision_nms_needed():
        return False  # no torchvision, or one matching torch
    _TV_LIBRARY = torch.library.Library('torchvision', 'DEF')
    _TV_LIBRARY.define(
        'nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor')
    _TV_LIBRARY.impl('nms', _nms, 'CompositeExplicitAutograd')
    # torchvision registers a fake kernel for the quantized variant too.
    _TV_LIBRARY.define(
        'qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor')
    _TV_LIBRARY.impl('qnms', _nms, 'CompositeExplicitAutograd')
    # ``torchvision.ops.nms`` checks for the compiled library first; the
    # operator it calls now exists, so let the box ops through that check.
    import torchvision.ops.boxes as tv_boxes
    tv_boxes._assert_has_ops = lambda: None
    return True


def allow_mmengine_checkpoint_globals() -> None:
    """Allow-list the types mmengine checkpoints pickle (torch >= 2.6).

    Measured with ``pickletools`` on a checkpoint saved by mmengine 0.10.7's
    Runner: besides tensors, its message hub holds ``HistoryBuffer``
    objects, numpy arrays, dtypes and scalars (mmpose adds uint8 arrays,
    keypoint colours in ``dataset_meta``), and ``builtins.getattr`` for
    HistoryBuffer's statistics methods, which is allowed only for those
    (:func:`mmllie.utils.safe_load.history_buffer_getattr`). Any other
    global (``os.system``, ``print``, ``getattr`` on anything else) is still
    refused.
    """
    add_safe_globals = getattr(torch.serialization, 'add_safe_globals', None)
    if add_safe_globals is None:
        return  # torch < 2.4: weights_only is not the default anyway
    import numpy as np
    from mmengine.logging.history_buffer import HistoryBuffer

    safe = [HistoryBuffer, np.dtype, np.ndarray]
    safe.append(np.core.multiarray._reconstruct)
    safe.append(np.core.multiarray.scalar)
    safe.extend(
        type(np.dtype(t))
        for t in ('float64', 'float32', 'int64', 'int32', 'uint8', 'bool'))
    safe.append((history_buffer_getattr, 'builtins.getattr'))
    add_safe_globals(safe)


def _torch_loads_weights_only_by_default() -> bool:
    """torch >= 2.6: ``torch.load`` defaults to ``weights_only=True``."""
    from mmengine.utils import digit_version
    return digit_version(torch.__version__) >= digit_version('2.6.0')


def _safe_load_from_local(filename: str, map_location=None):
    """mmengine's local checkpoint loader, through :func:`safe_torch_load`."""
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    return safe_torch_load(filename, map_location)


def download_checkpoint(url: str,
                        model_dir: Optional[str] = None,
                        progress: bool = True) -> str:
    """Download ``url`` once into ``model_dir`` (torch hub's checkpoint
    cache by default), as :func:`torch.hub.load_state_dict_from_url` does,
    and return the file's path; nothing is loaded."""
    from urllib.parse import urlparse
    model_dir = model_dir or osp.join(torch.hub.get_dir(), 'checkpoints')
    os.makedirs(model_dir, exist_ok=True)
    cached = osp.join(model_dir, osp.basename(urlparse(url).path))
    if not osp.exists(cached):
        torch.hub.download_url_to_file(url, cached, None, progress=progress)
    return cached


def _safe_load_from_http(filename: str,
                         map_location=None,
                         model_dir: Optional[str] = None,
                         progress: Optional[bool] = None):
    """mmengine's http(s) checkpoint loader (local rank 0 downloads first),
    through :func:`safe_torch_load`."""
    from mmengine.dist import get_dist_info

    if progress is None:
        progress = os.isatty(0)
    rank, world_size = get_dist_info()
    if rank == 0:
        path = download_checkpoint(filename, model_dir, progress)
    if world_size > 1:
        torch.distributed.barrier()
        if rank > 0:
            path = download_checkpoint(filename, model_dir, progress)
    return safe_torch_load(path, map_location)


def install_safe_checkpoint_loaders(force: bool = False) -> bool:
    """Make mmengine load local and http(s) checkpoints without running
    code from them on torch < 2.6, whose ``torch.load`` unpickles anything
    by default.

    Re-registers mmengine's ``CheckpointLoader`` schemes ``''`` (local
    files: ``load_from``, ``--resume``, ``load_checkpoint``) and
    ``http://`` / ``https://`` with loaders that go through
    :func:`mmllie.utils.safe_load.safe_torch_load`. A no-op on torch >= 2.6.

    Args:
        force (bool): Install also on torch >= 2.6 (tests).

    Returns:
        bool: True if the loaders were installed.
    """
    if _torch_loads_weights_only_by_default() and not force:
        return False
    from mmengine.runner.checkpoint import CheckpointLoader
    CheckpointLoader.register_scheme('', _safe_load_from_local, force=True)
    CheckpointLoader.register_scheme(('http://', 'https://'),
                                     _safe_load_from_http,
                                     force=True)
    return True
