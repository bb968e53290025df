"""A folder of bare images: no annotation file, no labels."""
import os
import os.path as osp
from typing import List, Optional, Sequence

from mmengine.dataset import BaseDataset
from mmengine.logging import print_log

from mmllie.registry import DATASETS

#: Extensions read by default (matched case-insensitively).
IMG_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp',
                  '.ppm', '.pgm')


@DATASETS.register_module()
class ImageFolderDataset(BaseDataset):
    """Every image under a folder, e.g. day images for label-free training.

    ::

        data_root/data_prefix['img_path']/
        ├── a.png
        └── any/depth/b.JPG

    Hidden files and folders (``.DS_Store``, macOS ``._<name>.jpg``
    resource forks) are skipped and counted in the log. Each sample is
    ``dict(img_path=...)``; the pipeline must not need
    labels (e.g. ``LoadImageFromFile → RandomResize → RandomCrop →
    PackSegInputs``).

    Args:
        data_root (str): Root joined with ``data_prefix['img_path']``.
        data_prefix (dict): ``dict(img_path='sub/folder')``.
        extensions (Sequence[str]): File extensions to take (any case).
        recursive (bool): Also take images in sub-folders. Defaults to True.
        **kwargs: Other :class:`mmengine.dataset.BaseDataset` arguments
            (``pipeline``, ``metainfo``, ``indices``, ``test_mode``...).

    Raises:
        FileNotFoundError: the folder is missing or holds no image.
    """

    def __init__(self,
                 data_root: Optional[str] = '',
                 data_prefix: dict = dict(img_path=''),
                 extensions: Sequence[str] = IMG_EXTENSIONS,
                 recursive: bool = True,
                 **kwargs) -> None:
        self.extensions = tuple(e.lower() for e in extensions)
        self.recursive = recursive
        super().__init__(
            ann_file='',
            data_root=data_root,
            data_prefix=data_prefix,
            **kwargs)

    def load_data_list(self) -> List[dict]:
        """List the images (sorted, so the order is fixed)."""
        folder = self.data_prefix.get('img_path', '') or '.'
        if not osp.isdir(folder):
            raise FileNotFoundError(
                f'ImageFolderDataset: image folder {folder!r} does not '
                'exist (data_root + data_prefix["img_path"]).')
        paths, hidden = [], []
        for root, dirs, files in os.walk(folder, followlinks=True):
            dirs[:] = sorted(d for d in dirs if not d.startswith('.'))
            images = [
                osp.join(root, f) for f in sorted(files)
                if osp.splitext(f)[1].lower() in self.extensions
            ]
            # hidden files: macOS ``._<name>.jpg`` resource forks of real
            # downloads carry an image extension but are not images
            hidden += [p for p in images if osp.basename(p).startswith('.')]
            paths += [p for p in images if not osp.basename(p).startswith('.')]
            if not self.recursive:
                break
        if hidden:
            print_log(
                f'ImageFolderDataset: skipped {len(hidden)} hidden file(s) '
                f'in {folder!r} (e.g. macOS resource forks): '
                f'{", ".join(hidden[:3])}', 'current')
        if not paths:
            raise FileNotFoundError(
                f'ImageFolderDataset: no images ({", ".join(self.extensions)}'
                f') in {folder!r}' +
                (' or its sub-folders' if self.recursive else '') + '.')
        return [dict(img_path=p, seg_fields=[]) for p in sorted(paths)]

    def prepare_data(self, idx: int) -> dict:
        """Run the pipeline; a failure names the image."""
        try:
            return super().prepare_data(idx)
        except Exception as e:
            path = self.get_data_info(idx)['img_path']
            raise OSError(f'ImageFolderDataset: could not load or transform '
                          f'{path}: {type(e).__name__}: {e}') from e
