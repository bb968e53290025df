"""ExDark as image classification, on mmpretrain's ``BaseDataset``.

The same release and split file as detection (:mod:`.exdark_layout`, shared
with :class:`~mmllie.datasets.ExDarkDataset`): each image's label is its
class folder, the ``Class`` column of ``imageclasslist.txt``.
"""
from typing import List, Optional, Sequence, Union

from mmpretrain.datasets import BaseDataset

from mmllie.registry import DATASETS
from .exdark_layout import EXDARK_CLASSES, locate, read_image_list, select


@DATASETS.register_module()
class ExDarkClsDataset(BaseDataset):
    """Exclusively Dark (Loh & Chan, CVIU 2019) image classification.

    ::

        data_root/
        ├── imageclasslist.txt      # ann_file: Name | Class | Light | ...
        └── ExDark/<Class>/<name>   # data_prefix['img_path']

    Args:
        data_root (str): The release folder.
        split (str, optional): 'train', 'val', 'test' (the authors' split
            file) or None (every image). Defaults to 'test'.
        lighting (str | list[str], optional): lighting type(s) of the split
            file (Low, Ambient, Object, Single, Weak, Strong, Screen, Window,
            Shadow, Twilight).
        in_out (str, optional): 'Indoor' or 'Outdoor'.
        classes (Sequence[str], optional): ExDark class names to keep, in
            label order; images of other classes are left out. E.g. CODaN's
            ten classes (``mmllie.datasets.codan_layout.CODAN_CLASSES``)
            score a CODaN classifier on ExDark. Defaults to the 12 classes
            in :data:`EXDARK_CLASSES` order.
        ann_file (str): The split file. Defaults to 'imageclasslist.txt'.
        data_prefix (str | dict): The image tree. Defaults to 'ExDark'.
        **kwargs: :class:`mmpretrain.datasets.BaseDataset` arguments
            (``pipeline``, ``test_mode``, ``indices``, ...).

    Each sample carries ``lighting``, ``in_out`` and ``exdark_class``; an
    unknown class name, a listed image missing from its folder or a split
    file line that is not ``Name Class Light In/Out Split`` is an error
    naming the file (and line).
    """
    METAINFO = dict(classes=EXDARK_CLASSES)

    def __init__(self,
                 data_root: str = '',
                 split: Optional[str] = 'test',
                 lighting: Optional[Union[str, Sequence[str]]] = None,
                 in_out: Optional[str] = None,
                 classes: Optional[Sequence[str]] = None,
                 ann_file: str = 'imageclasslist.txt',
                 data_prefix: Union[str, dict] = 'ExDark',
                 **kwargs) -> None:
        classes = tuple(classes or EXDARK_CLASSES)
        unknown = [c for c in classes if c not in EXDARK_CLASSES]
        if unknown or len(set(classes)) != len(classes):
            raise ValueError(
                f'ExDarkClsDataset: classes {list(classes)} must be distinct '
                f'ExDark classes ({", ".join(EXDARK_CLASSES)}); unknown: '
                f'{unknown}')
        self.split, self.lighting, self.in_out = split, lighting, in_out
        super().__init__(
            ann_file=ann_file,
            data_root=data_root,
            data_prefix=data_prefix,
            classes=classes,
            **kwargs)

    def load_data_list(self) -> List[dict]:
        """One entry per selected split-file line of a kept class."""
        classes = list(self.CLASSES)
        images = select(
            read_image_list(self.ann_file), self.split, self.lighting,
            self.in_out)
        data_list = [
            dict(
                img_path=locate(image, self.img_prefix)[0],
                gt_label=classes.index(image.cls),
                exdark_class=image.cls,
                lighting=image.lighting,
                in_out=image.in_out) for image in images
            if image.cls in classes
        ]
        if not data_list:
            raise ValueError(
                f'ExDarkClsDataset: no image in {self.ann_file} matches '
                f'split={self.split!r}, lighting={self.lighting!r}, '
                f'in_out={self.in_out!r}, classes={classes}')
        return data_list
