"""ExDark detection on mmdet's ``BaseDetDataset`` (official release layout)."""
import os.path as osp
from typing import List, Optional, Sequence, Union

from mmdet.datasets import BaseDetDataset, CocoDataset
from mmengine.logging import print_log

from mmllie.registry import DATASETS
from .exdark_layout import (EXDARK_CLASSES, EXDARK_TO_COCO, image_size, locate,
                            read_bbgt, read_image_list, select)

COCO_CLASSES = CocoDataset.METAINFO['classes']


@DATASETS.register_module()
class ExDarkDataset(BaseDetDataset):
    """Exclusively Dark (Loh & Chan, CVIU 2019), 7,363 images, 12 classes.

    Reads the authors' release as is (see :mod:`.exdark_layout`)::

        data_root/
        ├── imageclasslist.txt      # ann_file: the split file
        ├── ExDark/<Class>/<name>   # data_prefix['img_path']
        └── ExDark_Annno/<Class>/<name>.txt   # data_prefix['ann_path']

    With ``label_space='coco'`` (default) labels are indices into COCO's 80
    classes (People → person, Motorbike → motorcycle, Table → dining
    table, ...), so a COCO-trained detector is scored without retraining;
    ``metainfo['eval_classes']`` names the 12 classes that
    ``mmllie.ClassSubsetMetric`` restricts the metric to.
    ``label_space='exdark'`` gives labels 0..11 in :data:`EXDARK_CLASSES`
    order (a detector trained on ExDark).

    Args:
        split (str, optional): 'train' (3,000 images), 'val' (1,800),
            'test' (2,563) or None (all).
        lighting (str | list[str], optional): lighting type(s) of the split
            file: Low, Ambient, Object, Single, Weak, Strong, Screen,
            Window, Shadow, Twilight.
        in_out (str, optional): 'Indoor' or 'Outdoor'.
        label_space (str): 'coco' or 'exdark'.
        **kwargs: ``BaseDetDataset`` arguments (``data_root``,
            ``pipeline``, ``test_mode``, ...).

    Boxes reaching past the image border are clipped to it and counted in a
    warning; unknown class names, zero/negative or fully outside boxes,
    missing images and annotation files are errors naming file and line.
    """

    METAINFO = dict(
        classes=COCO_CLASSES,
        palette=CocoDataset.METAINFO['palette'],
        eval_classes=tuple(EXDARK_TO_COCO[c] for c in EXDARK_CLASSES))

    def __init__(self,
                 ann_file: str = 'imageclasslist.txt',
                 data_prefix: dict = dict(
                     img_path='ExDark', ann_path='ExDark_Annno'),
                 split: Optional[str] = 'test',
                 lighting: Optional[Union[str, Sequence[str]]] = None,
                 in_out: Optional[str] = None,
                 label_space: str = 'coco',
                 metainfo: Optional[dict] = None,
                 **kwargs) -> None:
        if label_space not in ('coco', 'exdark'):
            raise ValueError("ExDarkDataset: label_space must be 'coco' or "
                             f"'exdark', got {label_space!r}")
        self.split, self.lighting, self.in_out = split, lighting, in_out
        self.label_space = label_space
        if label_space == 'exdark':
            metainfo = dict(
                classes=EXDARK_CLASSES,
                eval_classes=EXDARK_CLASSES,
                palette=CocoDataset.METAINFO['palette'][:12],
                **(metainfo or {}))
        super().__init__(
            ann_file=ann_file,
            data_prefix=data_prefix,
            metainfo=metainfo,
            **kwargs)

    def _label(self, exdark_class: str) -> int:
        if self.label_space == 'exdark':
            return EXDARK_CLASSES.index(exdark_class)
        return COCO_CLASSES.index(EXDARK_TO_COCO[exdark_class])

    def load_data_list(self) -> List[dict]:
        """One entry per selected split-file line, with its boxes."""
        images = select(
            read_image_list(self.ann_file), self.split, self.lighting,
            self.in_out)
        img_dir = self.data_prefix['img_path']
        ann_dir = self.data_prefix.get('ann_path') or osp.join(
            self.data_root, 'ExDark_Annno')
        data_list, clipped = [], []
        for idx, image in enumerate(images):
            img_path, ann_path = locate(image, img_dir, ann_dir)
            width, height = image_size(img_path)
            boxes = read_bbgt(ann_path, width, height)
            clipped += [b.where for b in boxes if b.clipped]
            data_list.append(
                dict(
                    img_path=img_path,
                    img_id=idx,  # CocoMetric keys images by int ids
                    img_name=image.name,
                    width=width,
                    height=height,
                    exdark_class=image.cls,
                    lighting=image.lighting,
                    in_out=image.in_out,
                    instances=[
                        dict(
                            bbox=list(b.bbox),
                            bbox_label=self._label(b.cls),
                            ignore_flag=0) for b in boxes
                    ]))
        if clipped:
            print_log(
                f'ExDarkDataset: clipped {len(clipped)} boxes reaching past '
                f'the image border to it (first: {", ".join(clipped[:3])})',
                logger='current',
                level=30)
        if not data_list:
            raise ValueError(
                f'ExDarkDataset: no image in {self.ann_file} matches '
                f'split={self.split!r}, lighting={self.lighting!r}, '
                f'in_out={self.in_out!r}')
        return data_list
