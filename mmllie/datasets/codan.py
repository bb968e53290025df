"""CODaN (Common Objects Day and Night) for mmpretrain.

Lengyel et al., "Zero-Shot Day-Night Domain Adaptation with a Physics
Prior", ICCV 2021 (https://github.com/Attila94/CODaN). A classifier trained
on the day ``train`` split scores ~80 % top-1 on ``test_day`` and ~48 % on
``test_night`` (the authors' ResNet-18): the night gap an enhancer in front
of the frozen classifier should close. Layout: :mod:`.codan_layout`.
"""
import logging
import os.path as osp
from typing import Any, List, Optional

from mmengine.fileio import get_file_backend
from mmengine.logging import print_log
from mmpretrain.datasets import CustomDataset

from mmllie.registry import DATASETS
from .codan_layout import (CODAN_CLASSES, CODAN_SPLITS, IMG_EXTENSIONS, LAYOUT,
                           TMP_PREFIX, is_system_file)


def _few(names: List[str], n: int = 3) -> str:
    more = f', ... ({len(names)} in total)' if len(names) > n else ''
    return ', '.join(repr(x) for x in names[:n]) + more


@DATASETS.register_module()
class CODaNDataset(CustomDataset):
    """One CODaN split, read from its class folders in the official order.

    .. code-block:: none

        data/CODaN/data             (data_root)
        ├── train/Bicycle/*.jpg     (split='train', label 0)
        ├── train/Car/*.JPEG        (label 1) ... train/Chair (label 9)
        ├── val/ ...
        ├── test_day/ ...
        └── test_night/ ...

    Labels follow :data:`CODAN_CLASSES` (Bicycle, Car, Motorbike, Bus, Boat,
    Cat, Dog, Bottle, Cup, Chair), not the alphabetical order mmpretrain's
    ``CustomDataset`` would give the folders. Besides ``CustomDataset``'s
    behaviour: a missing split directory or a folder that is not one of the
    classes is an error naming the path; system files of real downloads
    (``.DS_Store``, ``Thumbs.db``, ``._*`` forks, anything without an image
    extension) are skipped and counted in the log; an empty or missing class
    folder and a split whose size differs from the release are warned
    about; an image that fails to load is an error naming the file. Every
    sample carries ``split`` (keep it with
    ``PackInputs(meta_keys=(..., 'split'))`` for :class:`SubsetAccuracy`).

    Args:
        data_root (str): The folder holding the split folders.
        split (str): ``'train'``, ``'val'``, ``'test_day'`` or
            ``'test_night'``. Defaults to ``'train'``.
        data_prefix (str | dict): The split's folder under ``data_root``.
            Defaults to ``split``.
        **kwargs: :class:`mmpretrain.datasets.CustomDataset` arguments
            (``pipeline``, ``test_mode``, ``indices``, ``extensions``, ...).

    Example:
        >>> ds = CODaNDataset('data/CODaN/data', split='test_night')  # doctest: +SKIP
        >>> ds.metainfo['classes'][ds.get_data_info(0)['gt_label']]  # doctest: +SKIP
        'Bicycle'
    """  # noqa: E501
    METAINFO = dict(classes=CODAN_CLASSES)

    def __init__(self,
                 data_root: str = '',
                 split: str = 'train',
                 data_prefix: Any = '',
                 **kwargs) -> None:
        if split not in CODAN_SPLITS:
            raise ValueError(f'CODaN split must be one of '
                             f'{list(CODAN_SPLITS)}, got {split!r}')
        self.split = split
        self.ignored_files: List[str] = []
        kwargs.setdefault('extensions', IMG_EXTENSIONS)
        super().__init__(
            data_root=data_root, data_prefix=data_prefix or split, **kwargs)

    def load_data_list(self) -> List[dict]:
        """Scan the split's class folders (or read ``ann_file``)."""
        if self.ann_file:
            data_list = super().load_data_list()
        else:
            data_list = self._scan(self.img_prefix)
        for info in data_list:
            info['split'] = self.split
        return data_list

    def _missing_split(self, root: str) -> FileNotFoundError:
        parent = osp.dirname(root.rstrip('/')) or '.'
        hint = ''
        try:
            backend = get_file_backend(parent, enable_singleton=True)
            stale = [
                d for d in backend.list_dir_or_file(parent, list_file=False)
                if d.startswith(TMP_PREFIX)
            ]
        except (FileNotFoundError, NotADirectoryError, NotImplementedError):
            stale = []
        if stale:
            hint = (f' {parent!r} holds {_few(stale)}, left by an interrupted '
                    'conversion: run the converter again.')
        return FileNotFoundError(
            f'CODaN {self.split} split directory {root!r} does not exist.'
            f'{hint} Expected layout:\n{LAYOUT}')

    def _scan(self, root: str) -> List[dict]:
        backend = get_file_backend(root, enable_singleton=True)
        if not backend.isdir(root):
            raise self._missing_split(root)
        classes = list(self.CLASSES)
        dirs = list(backend.list_dir_or_file(root, list_file=False))
        unknown = sorted(
            d for d in dirs if d not in classes and not d.startswith('.'))
        if unknown:
            raise ValueError(
                f'CODaN {self.split}: folder(s) {unknown} in {root!r} are '
                f'not CODaN classes; expected class folders {classes} '
                f'(names are case-sensitive). Layout:\n{LAYOUT}')
        ignored = sorted(backend.list_dir_or_file(root, list_dir=False))
        data_list, missing, empty = [], [], []
        for label, name in enumerate(classes):
            class_dir = backend.join_path(root, name)
            if name not in dirs:
                missing.append(name)
                continue
            files = sorted(
                backend.list_dir_or_file(
                    class_dir, list_dir=False, recursive=True))
            images = [f for f in files if not is_system_file(f)]
            ignored += [f'{name}/{f}' for f in files if is_system_file(f)]
            empty += [] if images else [name]
            data_list += [
                dict(img_path=backend.join_path(class_dir, f), gt_label=label)
                for f in images
            ]
        self.ignored_files = ignored
        self._report(root, data_list, ignored, missing, empty)
        return data_list

    def _report(self, root: str, data_list: list, ignored: list, missing: list,
                empty: list) -> None:
        where = f'CODaN {self.split} ({root!r})'
        if not data_list:
            raise FileNotFoundError(
                f'{where}: no images ({"|".join(IMG_EXTENSIONS)}, any case) '
                f'in its class folders. Expected layout:\n{LAYOUT}')
        if ignored:
            print_log(
                f'{where}: skipped {len(ignored)} non-image file(s): '
                f'{_few(ignored)}', 'current')
        for what, names in (('missing', missing), ('empty', empty)):
            if names:
                print_log(f'{where}: class folder(s) {names} {what}',
                          'current', logging.WARNING)
        expected = CODAN_SPLITS[self.split]
        if len(data_list) != expected:
            print_log(
                f'{where}: {len(data_list)} images, the release has '
                f'{expected} (a subset, or an incomplete download?)',
                'current', logging.WARNING)

    def prepare_data(self, idx: int) -> Optional[dict]:
        """Run the pipeline; on failure, name the image file."""
        try:
            return super().prepare_data(idx)
        except Exception as e:
            path = self.get_data_info(idx).get('img_path')
            raise RuntimeError(
                f'{type(self).__name__} ({self.split}): failed to load '
                f'sample {idx}, image {path!r} (corrupt or not an image?): '
                f'{type(e).__name__}: {e}') from e
