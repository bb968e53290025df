"""mmllie.NightCityDataset on a generated fixture in the release layout."""
import os
import os.path as osp
import re
import subprocess
import sys

import numpy as np
import pytest
from mmseg.datasets import CityscapesDataset
from PIL import Image

from mmllie.datasets.nightcity_convert import convert_nightcity_labels
from mmllie.registry import DATASETS
from mmllie.testing.nightcity import GT, IMG, make_nightcity

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PIPELINE = [
    dict(type='mmcv.LoadImageFromFile'),
    dict(type='mmseg.LoadAnnotations')
]


def build(root, split='train', gt=None, **kwargs):
    return DATASETS.build(
        dict(
            type='mmllie.NightCityDataset',
            data_root=root,
            data_prefix=dict(
                img_path=f'{IMG}/{split}', seg_map_path=f'{GT}/{gt or split}'),
            pipeline=PIPELINE,
            **kwargs))


@pytest.fixture
def root(tmp_path):
    root = str(tmp_path / 'NightCity')
    make_nightcity(root)
    return root


@pytest.mark.slow
def test_after_converter_cli(tmp_path):
    root = str(tmp_path / 'NightCity')
    labels = make_nightcity(root)
    tool = osp.join(REPO, 'tools', 'dataset_converters', 'nightcity.py')
    res = subprocess.run([sys.executable, tool, root],
                         capture_output=True,
                         text=True,
                         cwd=REPO)
    assert res.returncode == 0, res.stderr

    ds = build(root)
    assert len(ds) == 3
    assert ds.metainfo['classes'] == CityscapesDataset.METAINFO['classes']
    assert ds.metainfo['palette'] == CityscapesDataset.METAINFO['palette']
    info = ds.get_data_info(1)
    assert info['img_path'] == osp.join(root, IMG, 'train', 'Chicago_0001.png')
    assert info['seg_map_path'] == osp.join(root, GT, 'train',
                                            'Chicago_0001_trainIds.png')
    sample = ds[1]
    ids = labels[info['seg_map_path'].replace('_trainIds', '_labelIds')]
    seg = sample['gt_seg_map']
    assert sample['img'].shape == (32, 64, 3) and seg.shape == (32, 64)
    assert (seg[ids == 7] == 0).all() and (seg[ids == 26] == 13).all()
    assert (seg[ids == 0] == 255).all() and (seg[ids == 33] == 18).all()

    plus = build(root, 'val', gt='val_plus', test_mode=True)
    val = build(root, 'val', test_mode=True)
    assert len(plus) == len(val) == 2
    assert '/val_plus/' in plus.get_data_info(0)['seg_map_path']
    assert (plus[0]['gt_seg_map'] != val[0]['gt_seg_map']).any()


def test_missing_dirs_name_the_dir_and_layout(root, tmp_path):
    missing = str(tmp_path / 'NoSuchRoot')
    with pytest.raises(FileNotFoundError) as e:
        build(missing)
    assert missing in str(e.value) and 'NightCity-images/images' in str(
        e.value) and '_trainIds.png' in str(e.value)
    with pytest.raises(FileNotFoundError, match='image directory.*/test'):
        build(root, 'test', gt='train')
    with pytest.raises(ValueError, match='needs data_prefix=.*img_path'):
        DATASETS.build(dict(type='mmllie.NightCityDataset', data_root=root))


def test_unconverted_labels_ask_for_the_converter(root):
    with pytest.raises(FileNotFoundError) as e:
        build(root)
    msg = str(e.value)
    assert '3 images have only *_labelIds.png' in msg
    assert 'Chicago_0000' in msg and 'dataset_converters/nightcity.py' in msg
    # labelIds content under the trainIds name (or suffix) is caught too
    with pytest.raises(
            ValueError,
            match='Chicago_0000_labelIds.png.*label '
            'ids.*dataset_converters/nightcity.py'):
        build(root, seg_map_suffix='_labelIds.png')


def test_orphans_are_named(root):
    convert_nightcity_labels(osp.join(root, GT))
    os.remove(osp.join(root, GT, 'train', 'Chicago_0001_trainIds.png'))
    os.remove(osp.join(root, GT, 'train', 'Chicago_0001_labelIds.png'))
    for i in (7, 8):
        Image.fromarray(np.zeros((32, 64), np.uint8)).save(
            osp.join(root, GT, 'train', f'Chicago_{i:04d}_trainIds.png'))
    with pytest.raises(FileNotFoundError) as e:
        build(root)
    msg = str(e.value)
    assert "1 images in" in msg and "'Chicago_0001'" in msg
    assert "2 labels in" in msg and "'Chicago_0007', 'Chicago_0008'" in msg


def test_split_list_names_missing_images(root, tmp_path):
    convert_nightcity_labels(osp.join(root, GT))
    split = tmp_path / 'train.txt'
    split.write_text('Chicago_0000\nChicago_0009\n')
    with pytest.raises(FileNotFoundError, match="listed in .*'Chicago_0009'"):
        build(root, ann_file=str(split))
    split.write_text('Chicago_0002\n')
    assert len(build(root, ann_file=str(split))) == 1


@pytest.mark.parametrize('content', [b'', b'not a png'])
@pytest.mark.parametrize('which', ['img_path', 'seg_map_path'])
def test_unreadable_file_is_named(root, content, which):
    convert_nightcity_labels(osp.join(root, GT))
    ds = build(root, 'val', test_mode=True)
    path = ds.get_data_info(1)[which]
    with open(path, 'wb') as f:
        f.write(content)
    ds[0]  # the other sample still loads
    with pytest.raises(RuntimeError, match='sample 1 .*' + re.escape(path)):
        ds[1]


def test_without_labels(root):
    ds = DATASETS.build(
        dict(
            type='mmllie.NightCityDataset',
            data_root=root,
            data_prefix=dict(img_path=f'{IMG}/val'),
            pipeline=[dict(type='mmcv.LoadImageFromFile')],
            test_mode=True))
    assert len(ds) == 2 and 'seg_map_path' not in ds.get_data_info(0)
    assert ds[0]['img'].shape == (32, 64, 3)


@pytest.mark.parametrize('test_mode', [False, True])
def test_every_label_file_is_checked_where_loaded(root, test_mode):
    """Not only the first file: id 40 in another label is named."""
    convert_nightcity_labels(osp.join(root, GT))
    path = osp.join(root, GT, 'train', 'Chicago_0002_trainIds.png')
    seg = np.array(Image.open(path))
    seg[3, 5] = 40
    Image.fromarray(seg).save(path)
    ds = build(root, test_mode=test_mode)  # the first label is fine
    ds[0], ds[1]
    with pytest.raises(
            RuntimeError,
            match=re.escape(path) + '.*values'
            r' \[40\].*0\.\.18 or 255'):
        ds[2]


def test_label_size_differs_from_image(root):
    convert_nightcity_labels(osp.join(root, GT))
    path = osp.join(root, GT, 'train', 'Chicago_0001_trainIds.png')
    Image.fromarray(np.zeros((30, 64), np.uint8)).save(path)
    ds = build(root)
    with pytest.raises(
            RuntimeError,
            match=re.escape(path) + r"' is 64x30 "
            r'\(W x H\) but its image .*Chicago_0001.png.* 64x32'):
        ds[1]
