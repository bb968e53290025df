"""The official ExDark release layout (Loh & Chan, CVIU 2019), read once.

::

    data/ExDark/
    ├── imageclasslist.txt  # Name | Class | Light | In/Out | Train/Val/Test
    ├── ExDark/<Class>/<name>         # .jpg .JPG .jpeg .JPEG .png
    └── ExDark_Annno/<Class>/<name>.txt
        % bbGt version=3
        People 204 28 271 193 0 0 0 0 0 0 0      # class l t w h + 7 unused

Split file columns are 1-based codes: Class in :data:`EXDARK_CLASSES` order,
Light in :data:`LIGHTING` order, In/Out 1 = Indoor, 2 = Outdoor, split
1 = train, 2 = val, 3 = test. Used by detection (:class:`ExDarkDataset`),
the VOC converter and ExDark-as-classification; no OpenMMLab import here.
"""
import os
import os.path as osp
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Dict, List, Optional, Sequence, Tuple

EXDARK_CLASSES = ('Bicycle', 'Boat', 'Bottle', 'Bus', 'Car', 'Cat', 'Chair',
                  'Cup', 'Dog', 'Motorbike', 'People', 'Table')
LIGHTING = ('Low', 'Ambient', 'Object', 'Single', 'Weak', 'Strong', 'Screen',
            'Window', 'Shadow', 'Twilight')
IN_OUT = ('Indoor', 'Outdoor')
SPLITS = ('train', 'val', 'test')
#: ExDark class → COCO class name (a COCO detector scores ExDark as is)
EXDARK_TO_COCO = dict(
    Bicycle='bicycle',
    Boat='boat',
    Bottle='bottle',
    Bus='bus',
    Car='car',
    Cat='cat',
    Chair='chair',
    Cup='cup',
    Dog='dog',
    Motorbike='motorcycle',
    People='person',
    Table='dining table')
BBGT_HEADER = '% bbGt version=3'


@dataclass
class ExDarkImage:
    """One line of ``imageclasslist.txt``."""
    name: str
    cls: str
    lighting: str
    in_out: str
    split: str
    where: str  # 'imageclasslist.txt:LINE', for error messages


@dataclass
class ExDarkBox:
    """One bbGt object line: class name and ``(x1, y1, x2, y2)``."""
    cls: str
    bbox: Tuple[float, float, float, float]
    where: str
    clipped: bool = field(default=False)


def _code(value: str, names: Sequence[str], column: str, where: str) -> str:
    if not value.isdigit() or not 1 <= int(value) <= len(names):
        raise ValueError(f'{where}: {column} code {value!r} is not one of '
                         f'1..{len(names)} ({", ".join(names)})')
    return names[int(value) - 1]


def read_image_list(path: str) -> List[ExDarkImage]:
    """Parse the authors' split file ``imageclasslist.txt``."""
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'ExDark split file {path} not found; expected the release '
            'layout data_root/{imageclasslist.txt,ExDark/,ExDark_Annno/}')
    images = []
    with open(path, encoding='utf-8-sig') as f:
        for lineno, line in enumerate(f, 1):
            parts = line.split()
            where = f'{path}:{lineno}'
            if not parts or (lineno == 1 and parts[0] == 'Name'):
                continue
            if len(parts) != 5:
                raise ValueError(
                    f'{where}: expected "Name Class Light In/Out Split" '
                    f'(5 columns), got {line.strip()!r}')
            name, cls, light, place, split = parts
            images.append(
                ExDarkImage(name, _code(cls, EXDARK_CLASSES, 'Class', where),
                            _code(light, LIGHTING, 'Light', where),
                            _code(place, IN_OUT, 'In/Out', where),
                            _code(split, SPLITS, 'Train/Val/Test', where),
                            where))
    return images


def select(images: List[ExDarkImage],
           split: Optional[str] = None,
           lighting: Optional[Sequence[str]] = None,
           in_out: Optional[str] = None) -> List[ExDarkImage]:
    """Filter by split, lighting type(s) and indoor/outdoor."""
    lighting = [lighting] if isinstance(lighting, str) else lighting
    for value, names, what in ((split, SPLITS, 'split'), (in_out, IN_OUT,
                                                          'in_out'),
                               *[(v, LIGHTING, 'lighting')
                                 for v in lighting or []]):
        if value is not None and value not in names:
            raise ValueError(f'ExDark {what} {value!r} is not one of {names}')
    return [
        i for i in images if (split is None or i.split == split) and (
            not lighting or i.lighting in lighting) and (
                in_out is None or i.in_out == in_out)
    ]


@lru_cache(maxsize=None)
def _listing(folder: str) -> Dict[str, str]:
    """Lower-case name → name, without macOS ``._*`` resource files."""
    if not osp.isdir(folder):
        return {}
    return {n.lower(): n for n in os.listdir(folder) if not n.startswith('._')}


def find_file(folder: str, name: str) -> Optional[str]:
    """``folder/name``, matching the extension's case as on disk."""
    exact = osp.join(folder, name)
    if osp.isfile(exact):
        return exact
    found = _listing(folder).get(name.lower())
    return osp.join(folder, found) if found else None


def read_bbgt(path: str, width: int, height: int) -> List[ExDarkBox]:
    """Parse a bbGt v3 file; boxes as ``(x1, y1, x2, y2)`` in the image.

    Boxes reaching past the border are clipped (``clipped=True``: callers
    count them); a box with zero or negative size, or lying entirely
    outside the ``width`` × ``height`` image, is an error.
    """
    with open(path, encoding='utf-8-sig') as f:
        lines = f.read().splitlines()
    if not lines or not lines[0].startswith(BBGT_HEADER):
        raise ValueError(f'{path}:1: expected the header "{BBGT_HEADER}", '
                         f'got {(lines or [""])[0]!r}')
    boxes = []
    for lineno, line in enumerate(lines[1:], 2):
        parts, where = line.split(), f'{path}:{lineno}'
        if not parts:
            continue
        if parts[0] not in EXDARK_CLASSES:
            raise ValueError(f'{where}: unknown class {parts[0]!r}; '
                             f'expected one of {", ".join(EXDARK_CLASSES)}')
        try:
            left, top, w, h = map(float, parts[1:5])
        except ValueError:
            raise ValueError(f'{where}: expected "Class l t w h ...", got '
                             f'{line.strip()!r}') from None
        if w <= 0 or h <= 0:
            raise ValueError(f'{where}: box width/height must be > 0, got '
                             f'w={w:g} h={h:g}')
        x1, y1 = max(left, 0.), max(top, 0.)
        x2, y2 = min(left + w, width), min(top + h, height)
        if x2 <= x1 or y2 <= y1:
            raise ValueError(f'{where}: box l={left:g} t={top:g} w={w:g} '
                             f'h={h:g} lies outside the {width}x{height} '
                             'image')
        clipped = (x1, y1, x2, y2) != (left, top, left + w, top + h)
        boxes.append(ExDarkBox(parts[0], (x1, y1, x2, y2), where, clipped))
    return boxes


def locate(image: ExDarkImage,
           img_dir: str,
           ann_dir: Optional[str] = None) -> Tuple[str, Optional[str]]:
    """Image path (and bbGt path) of a split-file entry.

    Raises:
        FileNotFoundError: naming the split-file line, if either is missing.
    """
    folder = osp.join(img_dir, image.cls)
    img = find_file(folder, image.name)
    if img is None:
        raise FileNotFoundError(f'{image.where}: image {image.name} is '
                                f'listed but not found in {folder}')
    if ann_dir is None:
        return img, None
    ann_folder = osp.join(ann_dir, image.cls)
    ann = find_file(ann_folder,
                    osp.basename(img) + '.txt') or find_file(
                        ann_folder, image.name + '.txt')
    if ann is None:
        raise FileNotFoundError(
            f'{image.where}: annotation file '
            f'{osp.join(ann_folder, image.name + ".txt")} of {img} not found')
    return img, ann


def image_size(path: str) -> Tuple[int, int]:
    """(width, height) from the file header."""
    from PIL import Image
    try:
        with Image.open(path) as img:
            return img.size
    except OSError as e:
        raise OSError(f'{path}: not a readable image ({e})') from None
