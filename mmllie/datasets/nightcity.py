"""NightCity (Tan et al., TIP 2021) and NightCity+ for mmseg.

2,998 train / 1,299 val night street images (1024×512) labelled with the
19 Cityscapes classes; NightCity+ (Deng et al., NightLab, CVPR 2022)
re-annotates the val labels. The paper trains and tests every enhancer on
NightCity in front of a frozen Cityscapes DeepLabV3+ (§4.1, §4.2.3).
"""
import os.path as osp
from typing import Any, Iterable, List, Set

import mmcv
import mmengine.fileio as fileio
import numpy as np
from mmseg.datasets import BaseSegDataset, CityscapesDataset

from mmllie.registry import DATASETS
from .nightcity_convert import (IGNORE_INDEX, LABEL_IDS_SUFFIX, NUM_CLASSES,
                                TRAIN_IDS_SUFFIX)

LAYOUT = """\
<data_root>  (e.g. data/NightCity)
├── NightCity-images/images/{train,val}/<City>_<NNNN>.png
└── NightCity-label/label/{train,val,val_plus}/
    ├── <City>_<NNNN>_labelIds.png   (as released)
    └── <City>_<NNNN>_trainIds.png   (written by the converter)"""
CONVERT_HINT = ('convert them to train ids with '
                '`python tools/dataset_converters/nightcity.py {root}`')


def _few(names: Iterable[str], n: int = 5) -> str:
    names = sorted(names)
    more = f', ... ({len(names)} in total)' if len(names) > n else ''
    return ', '.join(repr(x) for x in names[:n]) + more


@DATASETS.register_module()
class NightCityDataset(BaseSegDataset):
    """NightCity night-time semantic segmentation (Cityscapes' 19 classes).

    The released layout, after converting the labels once with
    ``python tools/dataset_converters/nightcity.py data/NightCity``:

    .. code-block:: none

        data/NightCity
        ├── NightCity-images
        │   └── images
        │       ├── train
        │       │   ├── Chicago_0001.png
        │       │   └── ...
        │       └── val
        └── NightCity-label
            └── label
                ├── train
                │   ├── Chicago_0001_labelIds.png  (released)
                │   ├── Chicago_0001_trainIds.png  (converter)
                │   └── ...
                ├── val
                └── val_plus    (optional: NightCity+ val labels)

    For NightCity+, extract its re-annotated val labels into
    ``NightCity-label/label/val_plus/`` named like the originals
    (``<stem>_labelIds.png``; the converter handles every split), and
    evaluate with ``seg_map_path='NightCity-label/label/val_plus'``. Any
    other directory works too: ``data_prefix`` is mmseg's usual one, e.g.
    ``data_prefix=dict(img_path='NightCity-images/images/val',
    seg_map_path='NightCity-label/label/val')``.

    Besides mmseg's behaviour, building the dataset fails early and names
    the culprit when a directory is missing, an image has no label (or a
    label no image), or the labels are still Cityscapes label ids; and a
    sample that fails to load names its files.

    Args:
        img_suffix (str): Defaults to ``'.png'``.
        seg_map_suffix (str): Defaults to ``'_trainIds.png'``.
        **kwargs: see :class:`mmseg.datasets.BaseSegDataset`.
    """
    METAINFO = CityscapesDataset.METAINFO

    def __init__(self,
                 img_suffix: str = '.png',
                 seg_map_suffix: str = TRAIN_IDS_SUFFIX,
                 **kwargs) -> None:
        if not (kwargs.get('data_prefix') or {}).get('img_path'):
            raise ValueError(
                'NightCityDataset needs data_prefix=dict(img_path=..., '
                "seg_map_path=...), e.g. dict(img_path='NightCity-images/"
                "images/train', seg_map_path='NightCity-label/label/train')"
                f'; got {kwargs.get("data_prefix")!r}. Layout:\n{LAYOUT}')
        super().__init__(
            img_suffix=img_suffix, seg_map_suffix=seg_map_suffix, **kwargs)

    def _stems(self, dir_path: str, suffix: str) -> Set[str]:
        files = fileio.list_dir_or_file(
            dir_path,
            list_dir=False,
            suffix=suffix,
            recursive=True,
            backend_args=self.backend_args)
        return {f[:-len(suffix)] for f in files}

    def load_data_list(self) -> List[dict]:
        """Check the layout, then load as :class:`BaseSegDataset` does."""
        img_dir = self.data_prefix.get('img_path') or ''
        ann_dir = self.data_prefix.get('seg_map_path')
        root = self.data_root or '<data_root>'
        dirs = dict(root=self.data_root, image=img_dir, label=ann_dir)
        for kind, path in dirs.items():
            if path is not None and not fileio.isdir(
                    path, backend_args=self.backend_args):
                raise FileNotFoundError(
                    f'NightCity {kind} directory {path!r} does not exist. '
                    f'Expected layout:\n{LAYOUT}')
        data_list = super().load_data_list()
        if not data_list:
            raise FileNotFoundError(
                f'no *{self.img_suffix} images in {img_dir!r}. Expected '
                f'layout:\n{LAYOUT}')
        if ann_dir is None:
            return data_list
        wanted = {
            osp.relpath(d['img_path'], img_dir)[:-len(self.img_suffix)]
            for d in data_list
        }
        labels = self._stems(ann_dir, self.seg_map_suffix)
        no_label = wanted - labels
        as_ids = no_label & self._stems(ann_dir, LABEL_IDS_SUFFIX)
        if as_ids and self.seg_map_suffix != LABEL_IDS_SUFFIX:
            raise FileNotFoundError(
                f'{len(as_ids)} images have only *{LABEL_IDS_SUFFIX} labels '
                f'in {ann_dir!r} ({_few(as_ids)}), but *{self.seg_map_suffix}'
                ' is expected: the labels are still Cityscapes label ids; ' +
                CONVERT_HINT.format(root=root))
        problems = []
        if no_label:
            problems.append(f'{len(no_label)} images in {img_dir!r} have no '
                            f'*{self.seg_map_suffix} label in {ann_dir!r}: '
                            f'{_few(no_label)}')
        if self.ann_file and not osp.isdir(self.ann_file):  # a split list
            no_img = wanted - self._stems(img_dir, self.img_suffix)
            where = f'listed in {self.ann_file!r}'
        else:
            no_img, where = labels - wanted, f'in {ann_dir!r}'
        if no_img:
            problems.append(f'{len(no_img)} labels {where} have no '
                            f'*{self.img_suffix} image in {img_dir!r}: '
                            f'{_few(no_img)}')
        if problems:
            raise FileNotFoundError('NightCity images and labels do not '
                                    'pair up:\n  ' + '\n  '.join(problems))
        self._check_train_ids(data_list[0]['seg_map_path'], root)
        return data_list

    def _check_train_ids(self, path: str, root: str) -> None:
        """Fail if the (first) label map holds ids that are no train ids."""
        seg = mmcv.imfrombytes(
            fileio.get(path, backend_args=self.backend_args), flag='unchanged')
        if seg is None or seg.ndim != 2:
            raise ValueError(f'label {path!r} is not a readable single-'
                             'channel id map (a colour image?)')
        self._check_ids(
            seg, path, 'it looks like Cityscapes label ids; ' +
            CONVERT_HINT.format(root=root))

    @staticmethod
    def _check_ids(seg: np.ndarray, path: str, hint: str) -> None:
        counts = np.bincount(seg.ravel().astype(np.int64), minlength=256)
        counts[IGNORE_INDEX] = 0
        bad = np.flatnonzero(counts[NUM_CLASSES:]) + NUM_CLASSES
        if bad.size:
            raise ValueError(
                f'label {path!r} holds values {bad.tolist()}, but train ids '
                f'are 0..{NUM_CLASSES - 1} or {IGNORE_INDEX}: {hint}')

    def _check_loaded(self, results: dict) -> None:
        """Check a label map where it is loaded: ids, and size vs image."""
        seg, path = results['gt_seg_map'], results.get('seg_map_path')
        self._check_ids(seg, path, 'every label file must hold train ids')
        ori = results.get('ori_shape')
        if ori is not None and tuple(seg.shape[:2]) != tuple(ori[:2]):
            raise ValueError(
                f'label {path!r} is {seg.shape[1]}x{seg.shape[0]} (W x H) '
                f'but its image {results.get("img_path")!r} is '
                f'{ori[1]}x{ori[0]}; a label map must have its image\'s size')

    def prepare_data(self, idx: int) -> Any:
        """Run the pipeline, checking each label map right after it is
        loaded; on failure, name the sample's files."""
        try:
            results = self.get_data_info(idx)
            checked = False
            for transform in self.pipeline.transforms:
                results = transform(results)
                if results is None:
                    return None
                if not checked and 'gt_seg_map' in results:
                    self._check_loaded(results)
                    checked = True
            return results
        except Exception as e:
            info = self.get_data_info(idx)
            raise RuntimeError(
                f'{type(self).__name__}: failed to load sample {idx} '
                f'(img_path={info.get("img_path")!r}, '
                f'seg_map_path={info.get("seg_map_path")!r}): '
                f'{type(e).__name__}: {e}') from e
