"""A tiny CODaN in the release's layout, and its release archives.

Like a real download: ``.jpg`` and ``.JPEG`` images (and one ``.JPG``),
system files next to them (``.DS_Store``, ``Thumbs.db``, a macOS ``._``
fork), one empty class folder, and the train archive as three byte-wise
pieces ``codan_train.tar.bz2.part0..2``.
"""
import os
import os.path as osp
import tarfile
from typing import Dict

import numpy as np
from PIL import Image

from mmllie.datasets.codan_layout import CODAN_CLASSES

EXTENSIONS = ('.jpg', '.JPEG', '.JPG')
#: (split, class) left empty in the fixture
EMPTY = ('val', 'Chair')


def class_image(label: int, size: int, rng: np.random.Generator,
                night: bool) -> np.ndarray:
    """An RGB uint8 image whose colour and stripes depend on the class."""
    hue = np.array([(label * k) % 256 for k in (37, 91, 53)])
    img = np.tile(hue, (size, size, 1)).astype(np.float32)
    img[:, ::max(2, label + 2)] *= 0.5
    img += rng.normal(0, 12, img.shape)
    if night:
        img *= 0.15
    return np.clip(img, 0, 255).astype(np.uint8)


def make_codan(root: str,
               per_class: Dict[str, int] = None,
               size: int = 32,
               seed: int = 0) -> Dict[str, int]:
    """Write ``root/<split>/<Class>/`` images; return images per split."""
    per_class = per_class or dict(train=2, val=1, test_day=1, test_night=1)
    rng = np.random.default_rng(seed)
    counts = {}
    for split, n in per_class.items():
        counts[split] = 0
        for label, name in enumerate(CODAN_CLASSES):
            class_dir = osp.join(root, split, name)
            os.makedirs(class_dir, exist_ok=True)
            if (split, name) == EMPTY:
                continue
            for i in range(n):
                ext = EXTENSIONS[(label + i) % len(EXTENSIONS)]
                img = class_image(label, size, rng, split == 'test_night')
                Image.fromarray(img).save(
                    osp.join(class_dir, f'{name.lower()}_{i:04d}{ext}'),
                    format='JPEG',
                    quality=95)
                counts[split] += 1
        split_dir = osp.join(root, split)
        with open(osp.join(split_dir, '.DS_Store'), 'wb') as f:
            f.write(b'\x00\x00\x00\x01Bud1')
        with open(osp.join(split_dir, 'Car', 'Thumbs.db'), 'wb') as f:
            f.write(b'\xd0\xcf\x11\xe0')
        with open(osp.join(split_dir, 'Dog', '._dog_0000.jpg'), 'wb') as f:
            f.write(b'\x00\x05\x16\x07')  # AppleDouble header
    return counts


def make_release(tree: str, out_dir: str, parts: int = 3) -> None:
    """``codan_<split>.tar.bz2`` of each split of ``tree``; train in parts."""
    os.makedirs(out_dir, exist_ok=True)
    for split in sorted(os.listdir(tree)):
        archive = osp.join(out_dir, f'codan_{split}.tar.bz2')
        with tarfile.open(archive, 'w:bz2') as tar:
            tar.add(osp.join(tree, split), arcname=split)
        if split != 'train':
            continue
        with open(archive, 'rb') as f:
            data = f.read()
        os.remove(archive)
        step = -(-len(data) // parts)
        for i in range(parts):
            with open(f'{archive}.part{i}', 'wb') as f:
                f.write(data[i * step:(i + 1) * step])
