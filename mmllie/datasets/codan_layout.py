"""The CODaN release layout: classes, splits, official counts, file kinds.

CODaN, "Common Objects Day and Night" (Lengyel et al., "Zero-Shot Day-Night
Domain Adaptation with a Physics Prior", ICCV 2021;
https://github.com/Attila94/CODaN): 10 classes, 224×224 images, a day
``train`` / ``val`` / ``test_day`` split and a ``test_night`` split of real
night images (from ExDark). The release ships ``data/codan_<split>.tar.bz2``
(the train archive as ``codan_train.tar.bz2.part0`` .. ``part2``) that unpack
into ``data/<split>/<Class>/*.jpg|*.JPEG``.
"""
import os.path as osp
from typing import Dict, Tuple

#: The 10 classes, in the order of the authors' loader (label = index).
CODAN_CLASSES: Tuple[str, ...] = ('Bicycle', 'Car', 'Motorbike', 'Bus', 'Boat',
                                  'Cat', 'Dog', 'Bottle', 'Cup', 'Chair')
#: Split name -> number of images in the release.
CODAN_SPLITS: Dict[str, int] = dict(
    train=10000, val=500, test_day=2500, test_night=2500)
#: Image file extensions (compared lower-case; the release mixes .jpg and
#: .JPEG).
IMG_EXTENSIONS: Tuple[str, ...] = ('.jpg', '.jpeg', '.png', '.bmp')
#: Prefix of the temporary directories the converter unpacks into; one left
#: next to the splits means a conversion was interrupted.
TMP_PREFIX = '.codan_tmp_'

LAYOUT = """\
<data_root>  (e.g. data/CODaN/data, the `data` folder of the release)
├── train/                 10,000 day images
│   ├── Bicycle/*.jpg|*.JPEG
│   ├── Car/
│   └── ...                Motorbike Bus Boat Cat Dog Bottle Cup Chair
├── val/                   500 day images
├── test_day/              2,500 day images
└── test_night/            2,500 night images
unpack the release's archives with
`python tools/dataset_converters/codan.py <data_root>`"""


def is_system_file(name: str) -> bool:
    """Files an archive or an OS adds next to images; never images.

    Hidden files (``.DS_Store``, macOS ``._<name>.jpg`` resource forks),
    ``Thumbs.db``, ``desktop.ini`` and any file without an image extension.
    The authors' loader drops them too ("remove any system files").
    """
    base = osp.basename(name)
    return (base.startswith('.')
            or base.lower() in ('thumbs.db', 'desktop.ini')
            or not base.lower().endswith(IMG_EXTENSIONS))
