"""Object crops of the synthetic city and the classification row."""
import json
import math
import os
import os.path as osp

import numpy as np
import pytest

from mmllie.benchmarks import classification
from mmllie.benchmarks.object_crops import (CROP_CLASSES, CROP_SIZE, MIN_AREA,
                                            crop, object_boxes,
                                            write_object_crops)
from mmllie.datasets.synthetic_city import CLASS_IDS

pytestmark = pytest.mark.slow

TINY = dict(num_train=12, num_val=6, img_size=(64, 128), seed=0)


def test_object_boxes_known_regions():
    label = np.full((40, 60), CLASS_IDS['road'], np.uint8)
    label[5:15, 10:30] = CLASS_IDS['car']  # 10 x 20
    label[20:38, 40:44] = CLASS_IDS['person']  # 18 x 4
    label[0:2, 0:2] = CLASS_IDS['car']  # 4 px < MIN_AREA: no object
    label[30:38, 2:4] = CLASS_IDS['pole']  # 16 px < MIN_AREA
    assert 16 < MIN_AREA
    boxes = object_boxes(label)
    car, person = CROP_CLASSES.index('car'), CROP_CLASSES.index('person')
    assert boxes == [(car, 20, 10, 25), (person, 42, 29, 23)]


def test_crop_is_centred_and_padded():
    img = np.zeros((40, 60, 3), np.uint8)
    img[8:12, 18:22] = 255  # a white square around (20, 10)
    patch = crop(img, 20, 10, 8)
    assert patch.shape == (CROP_SIZE, CROP_SIZE, 3)
    c = CROP_SIZE // 2
    assert patch[c - 2:c + 2, c - 2:c + 2].min() == 255
    assert patch[0, 0].max() == 0
    # at the image corner the replicated border fills the square
    assert crop(img, 0, 0, 20).shape == (CROP_SIZE, CROP_SIZE, 3)


def test_day_and_night_crops_match(tmp_path):
    crops = classification.prepare_crops(str(tmp_path), ['hard'], TINY)
    names = {}
    for key in ('day', 'hard'):
        names[key] = sorted(
            osp.join(s, c, f) for s in ('train', 'val') for c in CROP_CLASSES
            for f in os.listdir(osp.join(crops[key], s, c)))
    assert names['day'] == names['hard'] and len(names['day']) > 30
    assert {n.split(os.sep)[1] for n in names['day']} == set(CROP_CLASSES)
    # idempotent; a foreign folder is never written into
    mtime = os.path.getmtime(osp.join(crops['day'], 'crops.json'))
    classification.prepare_crops(str(tmp_path), ['hard'], TINY)
    assert os.path.getmtime(osp.join(crops['day'], 'crops.json')) == mtime
    foreign = tmp_path / 'mine'
    foreign.mkdir()
    (foreign / 'x.txt').write_text('x')
    with pytest.raises(FileExistsError, match='not touched'):
        write_object_crops(crops['day'], crops['day'], str(foreign))


def test_classification_row_runs(tmp_path):
    """A few iterations on a tiny city, with the shipped classifier."""
    results = classification.run_classification_benchmark(
        str(tmp_path / 'work'),
        data_root=str(tmp_path / 'city'),
        level='hard',
        iters=3,
        levels=('hard', ),
        data=TINY)
    values = [results['day']] + list(results['levels']['hard'].values())
    assert all(math.isfinite(v) and 0 <= v <= 100 for v in values)
    table = classification.results_table(results)
    assert '| GEM + PAM |' in table and 'top-1 hard' in table
    # the runner writes both outputs, with its duration
    with open(tmp_path / 'work' / 'results.md') as f:
        assert f.read() == table
    with open(tmp_path / 'work' / 'results.json') as f:
        assert json.load(f)['seconds'] == results['seconds'] > 0
