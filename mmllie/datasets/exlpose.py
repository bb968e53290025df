"""ExLPose subsets (Lee et al., "Human Pose Estimation in Extremely Low-Light
Conditions", CVPR 2023), on top of mmpose's ``ExlposeDataset``.

Annotations are COCO-style with 14 keypoints and CrowdPose-style OKS sigmas
(mmpose's ``configs/_base_/datasets/exlpose.py``, inherited, not copied).
Names and file layout: :mod:`mmllie.datasets.exlpose_layout`.
"""
import json
import logging
import os.path as osp
from typing import Dict, List, Optional

import mmpose
from mmengine import Config
from mmengine.fileio import exists, get_local_path
from mmengine.logging import print_log
from mmpose.datasets import ExlposeDataset

from mmllie.registry import DATASETS
from .exlpose_layout import (ANN_DIRS, PAIRED_NAME, SUBSETS, canonical_subset,
                             find_ann_file, index_tree)


def _mmpose_metainfo_file() -> str:
    """mmpose's ``exlpose.py`` metainfo, installed (``.mim``) or source."""
    rel = ExlposeDataset.METAINFO['from_file']
    pkg = osp.dirname(mmpose.__file__)
    for path in (osp.join(pkg, '.mim', rel), osp.join(osp.dirname(pkg), rel)):
        if osp.isfile(path):
            return path
    return rel


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@DATASETS.register_module()
class ExLPoseDataset(ExlposeDataset):
    """One ExLPose subset, by name, in the public or the authors' layout.

    Expected tree (annotation folders are searched in the order of
    :func:`~mmllie.datasets.exlpose_layout.find_ann_file`)::

        data/ExLPose
        ├── annotations/ExLPose
        │   ├── ExLPose_test_LL-{A,N,H,E}.json  (authors' code release:
        │   │   Annotations/ExLPose/ExLPose_test_LL-{All,Normal,...}.json)
        │   ├── ExLPose_test_WL.json
        │   └── ExLPose_train_{LL,WL}.json
        ├── dark
        │   └── imgs_0212_hwangridan_vid000020_exp1200_dark_000052__
        │       gain_3.40_exposure_417.png  (one name)
        └── bright
            └── imgs_0212_hwangridan_vid000020_exp1200_bright_000052__
                gain_14.12_exposure_417.png

    ``file_name``s are relative to ``data_prefix['img']`` (``data_root``
    by default), as in mmpose's ExLPose config.

    Args:
        subset (str): ``'LL-N'``, ``'LL-H'``, ``'LL-E'``, ``'LL-A'`` (or
            ``'LL-Normal'``, ..., ``'LL-All'``), ``'WL'``, ``'train-LL'`` or
            ``'train-WL'``. Stored as ``metainfo['subset']``, and the
            metainfo's ``dataset_name`` becomes ``'exlpose_<subset>'`` so
            that metrics of several subsets stay apart.
        ann_file (str): Explicit annotation file; if empty, it is searched
            under ``data_root`` by subset name. Defaults to ``''``.
        image_tree (str, optional): ``'dark'`` or ``'bright'``: the images
            read. ``file_name``s pointing at the other tree (the authors'
            low-light files list ``bright/`` images) are mapped to their pair
            by name key and frame. Defaults to ``'dark'`` for low-light
            subsets and ``'bright'`` for WL ones.
        metainfo (dict, optional): Defaults to mmpose's ``exlpose.py`` with
            ``dataset_name='exlpose_<subset>'``.
        data_root (str, optional): The ExLPose root (``data/ExLPose``).
        **kwargs: :class:`mmpose.datasets.ExlposeDataset` arguments
            (``data_mode``, ``bbox_file``, ``data_prefix``, ``pipeline``,
            ``test_mode``, ...).

    Example:
        >>> ds = ExLPoseDataset(subset='LL-Normal', data_root='data/ExLPose',
        ...                     test_mode=True)  # doctest: +SKIP
        >>> ds.metainfo['subset']  # doctest: +SKIP
        'LL-N'
    """

    METAINFO: dict = dict(from_file=_mmpose_metainfo_file())

    def __init__(self,
                 subset: str = 'LL-A',
                 ann_file: str = '',
                 image_tree: Optional[str] = None,
                 metainfo: Optional[dict] = None,
                 data_root: Optional[str] = None,
                 **kwargs) -> None:
        self.subset = canonical_subset(subset)
        low_light = not self.subset.endswith('WL')
        self.image_tree = image_tree or ('dark' if low_light else 'bright')
        if self.image_tree not in ('dark', 'bright'):
            raise ValueError(f"image_tree must be 'dark' or 'bright', got "
                             f'{self.image_tree!r}')
        if low_light and self.image_tree == 'bright':
            print_log(
                f'ExLPose {self.subset}: reading the well-lit bright/ '
                'images, as image_tree="bright" asks', 'current',
                logging.WARNING)
        if metainfo is None:
            metainfo = Config.fromfile(self.METAINFO['from_file']).to_dict()
            metainfo = dict(
                metainfo['dataset_info'],
                dataset_name=f'exlpose_{self.subset}')
        self._pair_index: Dict[str, Dict[tuple, List[str]]] = {}
        self._searched = not ann_file
        if self._searched:
            try:
                ann_file = find_ann_file(self.subset, data_root)
            except FileNotFoundError:
                if not kwargs.get('lazy_init'):
                    raise
                # metainfo-only use; full_init() raises the error
                ann_file = osp.join(ANN_DIRS[0],
                                    SUBSETS[self.subset][1][0] + '.json')
        super().__init__(
            ann_file=ann_file,
            metainfo=metainfo,
            data_root=data_root,
            **kwargs)
        self._metainfo['subset'] = self.subset

    def load_data_list(self) -> List[dict]:
        """Check the file is COCO-style, load, then resolve image paths."""
        self._check_coco_style()
        data_list = super().load_data_list()
        resolved: Dict[str, str] = {}
        for info in data_list:
            path = info['img_path']
            if path not in resolved:
                resolved[path] = self._resolve_image(path, info)
            info['img_path'] = resolved[path]
        return data_list

    def parse_data_info(self, raw_data_info: dict) -> Optional[dict]:
        """Reject keypoint lists that are not ``num_keypoints * 3`` long."""
        ann, img = raw_data_info['raw_ann_info'], raw_data_info['raw_img_info']
        num = self.metainfo['num_keypoints'] * 3
        if 'keypoints' in ann and len(ann['keypoints']) != num:
            raise ValueError(
                f'{self.ann_file}: annotation id {ann.get("id")} (image '
                f'{img.get("file_name")}) has {len(ann["keypoints"])} '
                f'keypoint values; ExLPose expects {num} (14 x, y, v)')
        return super().parse_data_info(raw_data_info)

    def _check_coco_style(self) -> None:
        if not exists(self.ann_file):
            if self._searched:
                find_ann_file(self.subset, self.data_root)
            raise FileNotFoundError(
                f'ExLPose {self.subset} annotation file {self.ann_file} '
                'does not exist')
        with get_local_path(self.ann_file) as local_path:
            try:
                with open(local_path, encoding='utf-8') as f:
                    data = json.load(f)
            except ValueError as e:
                raise ValueError(
                    f'{self.ann_file} is not a JSON file: {e}') from e
        need = ('images', 'annotations', 'categories')
        missing = [k for k in need
                   if k not in data] if isinstance(data, dict) else list(need)
        if missing:
            raise ValueError(
                f'{self.ann_file} is not a COCO-style annotation file: '
                f'missing top-level {missing} (expected {list(need)})')
        self._check_annotations(data['images'], data['annotations'])

    def _check_annotations(self, images: list, anns: list) -> None:
        """Errors for broken annotations; a warning with the count for
        persons without keypoints or box (mmpose skips them)."""
        if not anns and not self.bbox_file:
            raise ValueError(f'{self.ann_file} holds no annotations')
        img_ids = {img.get('id') for img in images if isinstance(img, dict)}
        skipped = []
        for i, ann in enumerate(anns):
            if not isinstance(ann, dict):
                raise ValueError(f'{self.ann_file}: annotation {i} is a '
                                 f'{type(ann).__name__}, not an object')
            where = f'{self.ann_file}: annotation id {ann.get("id")}'
            if ann.get('image_id') not in img_ids:
                raise ValueError(f'{where} refers to image_id '
                                 f'{ann.get("image_id")!r}, which is not in '
                                 '"images"')
            if 'keypoints' not in ann or 'bbox' not in ann:
                skipped.append(ann.get('id'))
                continue
            for key, size in (('keypoints', None), ('bbox', 4)):
                value = ann[key]
                if not isinstance(value, list) or (size and len(value)
                                                   != size) or not all(
                                                       _is_number(v)
                                                       for v in value):
                    raise ValueError(
                        f'{where} has {key}={str(value)[:60]}; expected '
                        f'{size or "a list of"} numbers')
        if skipped:
            print_log(
                f'ExLPose {self.subset}: {len(skipped)} of {len(anns)} '
                f'annotations in {self.ann_file} have no keypoints or no '
                f'bbox and are skipped (ids {skipped[:5]})', 'current',
                logging.WARNING)

    def _resolve_image(self, path: str, info: dict) -> str:
        """``path`` in ``self.image_tree``, mapped from the other tree."""
        where = (f'{self.ann_file} (image id {info.get("img_id")}, '
                 f'annotation id {info.get("id")})')
        match = PAIRED_NAME.match(osp.basename(path))
        if match is None or match['tree'] == self.image_tree:
            if not exists(path):
                raise FileNotFoundError(f'Image {path} listed in {where} '
                                        'does not exist')
            return path
        parent = osp.dirname(path)
        if osp.basename(parent) == match['tree']:
            parent = osp.dirname(parent)
        tree_dir = osp.join(parent, self.image_tree)
        found = self._tree_index(tree_dir, where).get(
            (match['key'], match['frame']), [])
        if len(found) != 1:
            raise FileNotFoundError(
                f'{where} lists {path}; its {self.image_tree} pair '
                f'{match["key"]}_{self.image_tree}_{match["frame"]}_*.png '
                f'was found {len(found)} times in {tree_dir} '
                f'({found}); ExLPose {self.subset} is read from the '
                f'{self.image_tree} images, never silently from '
                f'{match["tree"]} ones')
        return osp.join(tree_dir, found[0])

    def _tree_index(self, tree_dir: str, where: str) -> dict:
        """(name key, frame) -> file names in ``tree_dir``, built once."""
        if tree_dir not in self._pair_index:
            if not osp.isdir(tree_dir):
                raise FileNotFoundError(
                    f'{where} lists images outside {self.image_tree}/; '
                    f'their {self.image_tree} pairs should be in '
                    f'{tree_dir}, which does not exist')
            index = index_tree(tree_dir, self.image_tree)
            self._pair_index[tree_dir] = index
        return self._pair_index[tree_dir]
