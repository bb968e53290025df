"""A tiny ExDark tree in the official release layout.

``ExDark/<Class>/<name>`` with mixed ``.jpg/.JPG/.jpeg/.JPEG/.png``
extensions, ``ExDark_Annno/<Class>/<name>.txt`` in bbGt v3 format,
``imageclasslist.txt`` with the authors' header, an image whose annotation
lists several classes, and class folders with no images (``Boat``, ...).
"""
import os
import os.path as osp

import numpy as np
from PIL import Image

from mmllie.datasets.exdark_layout import EXDARK_CLASSES

HEADER = 'Name | Class | Light | In/Out | Train/Val/Test'
#: name, class folder, light, in/out, split, [(class, l, t, w, h)]
IMAGES = [
    ('2015_00001.png', 'People', 1, 2, 1, [('People', 4, 6, 20, 40),
                                           ('Bicycle', 30, 20, 30, 28),
                                           ('Car', 50, 2, 28, 16)]),
    ('2015_00002.jpg', 'Bicycle', 2, 2, 1, [('Bicycle', 10, 10, 40, 30)]),
    ('2015_00003.JPG', 'Car', 3, 2, 1, [('Car', 8, 12, 50, 30)]),
    ('2015_00004.jpeg', 'Dog', 4, 1, 1, [('Dog', 20, 16, 30, 30)]),
    ('2015_00005.JPEG', 'Table', 5, 1, 2, [('Table', 6, 30, 60, 28),
                                           ('Cup', 30, 20, 10, 12)]),
    ('2015_00006.png', 'Motorbike', 1, 2, 2, [('Motorbike', 16, 8, 40, 40)]),
    ('2015_00007.jpg', 'Cat', 6, 1, 3, [('Cat', 12, 14, 36, 30)]),
    ('2015_00008.png', 'People', 1, 2, 3, [('People', 30, 4, 20, 50),
                                           ('People', 52, 8, 18, 44)]),
]
SIZE = (64, 80)  # H, W


def make_exdark(root: str, seed: int = 0) -> dict:
    """Write the tree; return ``{name: (H, W)}``."""
    rng = np.random.default_rng(seed)
    for cls in EXDARK_CLASSES:  # every class folder, some stay empty
        os.makedirs(osp.join(root, 'ExDark', cls), exist_ok=True)
        os.makedirs(osp.join(root, 'ExDark_Annno', cls), exist_ok=True)
    lines = [HEADER]
    for name, folder, light, place, split, boxes in IMAGES:
        h, w = SIZE
        img = rng.integers(0, 25, (h, w, 3), dtype=np.uint8)
        for _, left, top, bw, bh in boxes:  # dim objects on a dark scene
            img[top:top + bh, left:left + bw] += np.uint8(rng.integers(10, 40))
        fmt = 'PNG' if name.lower().endswith('png') else 'JPEG'
        Image.fromarray(img).save(
            osp.join(root, 'ExDark', folder, name), fmt, quality=95)
        ann = ['% bbGt version=3'] + [
            f'{c} {left} {top} {bw} {bh} 0 0 0 0 0 0 0'
            for c, left, top, bw, bh in boxes
        ]
        write(osp.join(root, 'ExDark_Annno', folder, name + '.txt'), ann)
        lines.append(f'{name} {EXDARK_CLASSES.index(folder) + 1} {light} '
                     f'{place} {split}')
    write(osp.join(root, 'imageclasslist.txt'), lines)
    return {name: SIZE for name, *_ in IMAGES}


def write(path: str, lines) -> None:
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
