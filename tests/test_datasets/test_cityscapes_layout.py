import json
import os
import os.path as osp

import numpy as np
import pytest
from mmseg.datasets import CityscapesDataset
from PIL import Image

from mmllie.datasets.cityscapes_layout import write_cityscapes_layout
from mmllie.datasets.synthetic_city import (IMG_DIR, LABEL_DIR,
                                            generate_synthetic_city)


@pytest.fixture(scope='module')
def cities(tmp_path_factory):
    root = tmp_path_factory.mktemp('city')
    city = generate_synthetic_city(
        str(root / 'day'), 3, 1, (32, 64), show_progress=False)
    town = generate_synthetic_city(
        str(root / 'town'), 0, 2, (32, 64), style='town', show_progress=False)
    return city, town


def test_layout_read_by_mmseg(cities, tmp_path):
    city, town = cities
    out = write_cityscapes_layout(str(tmp_path / 'cs'), city, town, 2)
    train = sorted(os.listdir(osp.join(out, 'leftImg8bit', 'train')))
    # the first two train scenes (generation order), one folder per city
    assert train == ['aachen', 'bremen']
    src = osp.join(city, IMG_DIR, 'train', 'Aachen_0000.png')
    dst = osp.join(out, 'leftImg8bit', 'train', 'aachen',
                   'Aachen_0000_leftImg8bit.png')
    assert os.stat(src).st_ino == os.stat(dst).st_ino  # a hard link
    for split, root, n in (('train', city, 2), ('val', town, 2)):
        dataset = CityscapesDataset(
            data_root=out,
            data_prefix=dict(
                img_path=f'leftImg8bit/{split}',
                seg_map_path=f'gtFine/{split}'),
            pipeline=[],
            lazy_init=False)
        assert len(dataset) == n
        info = dataset.get_data_info(0)
        stem = osp.basename(info['img_path'])[:-len('_leftImg8bit.png')]
        # labels: the source's train ids (converted from its labelIds)
        label = np.asarray(Image.open(info['seg_map_path']))
        expected = np.asarray(
            Image.open(
                osp.join(root, LABEL_DIR, split, stem + '_trainIds.png')))
        assert np.array_equal(label, expected)
        assert set(np.unique(label)) <= set(range(19)) | {255}


def test_idempotent_and_refuses_other_data(cities, tmp_path):
    city, town = cities
    out = str(tmp_path / 'cs')
    write_cityscapes_layout(out, city, town, 1)
    marker = osp.join(out, 'leftImg8bit', 'train', 'aachen',
                      'Aachen_0000_leftImg8bit.png')
    before = os.stat(marker).st_mtime_ns
    write_cityscapes_layout(out, city, town, 1)  # the same: nothing done
    assert os.stat(marker).st_mtime_ns == before
    with pytest.raises(FileExistsError, match='another export'):
        write_cityscapes_layout(out, city, town, 2)
    write_cityscapes_layout(out, city, town, 3, overwrite=True)
    assert len(os.listdir(osp.join(out, 'leftImg8bit', 'train'))) == 3
    # an interrupted export of the same sources is redone, no overwrite
    manifest = osp.join(out, 'cityscapes_layout.json')
    with open(manifest) as f:
        state = json.load(f)
    state['complete'] = False
    with open(manifest, 'w') as f:
        json.dump(state, f)
    os.remove(marker)
    write_cityscapes_layout(out, city, town, 3)
    assert osp.isfile(marker)
    foreign = tmp_path / 'foreign'
    (foreign / 'leftImg8bit').mkdir(parents=True)
    with pytest.raises(FileExistsError, match='not written here'):
        write_cityscapes_layout(str(foreign), city, town, 1)


@pytest.mark.parametrize('kwargs, error, message', [
    (dict(num_train=4), ValueError, 'fewer than the 4'),
    (dict(num_train=0), ValueError, 'num_train must be an int >= 1'),
    (dict(num_train=1, num_val=2.5), ValueError, 'num_val'),
    (dict(num_train=1,
          train_dir='nowhere'), FileNotFoundError, 'not a generated city'),
])
def test_bad_arguments(cities, tmp_path, kwargs, error, message):
    city, town = cities
    args = {**dict(train_dir=city, val_dir=town), **kwargs}
    with pytest.raises(error, match=message):
        write_cityscapes_layout(str(tmp_path / 'cs'), **args)
