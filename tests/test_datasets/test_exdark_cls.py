"""ExDarkClsDataset on a generated tree in the official ExDark layout."""
import os
import os.path as osp

import pytest

from mmllie.datasets import ExDarkClsDataset
from mmllie.datasets.codan_layout import CODAN_CLASSES
from mmllie.datasets.exdark_layout import EXDARK_CLASSES
from mmllie.registry import DATASETS
from mmllie.testing.exdark import IMAGES, make_exdark

PIPELINE = [dict(type='LoadImageFromFile'), dict(type='PackInputs')]


@pytest.fixture
def root(tmp_path):
    make_exdark(str(tmp_path))
    return str(tmp_path)


def test_labels_are_class_folders(root):
    assert DATASETS.get('ExDarkClsDataset') is ExDarkClsDataset
    ds = ExDarkClsDataset(root, split=None)
    assert ds.metainfo['classes'] == EXDARK_CLASSES
    assert len(ds) == len(IMAGES)
    for i, (name, folder, *_) in enumerate(IMAGES):
        info = ds.get_data_info(i)
        assert info['img_path'] == osp.join(root, 'ExDark', folder, name)
        assert EXDARK_CLASSES[info['gt_label']] == folder
    sizes = {
        s: len(ExDarkClsDataset(root, split=s))
        for s in ('train', 'val', 'test')
    }
    assert sizes == dict(train=4, val=2, test=2)
    low = ExDarkClsDataset(root, split=None, lighting='Low', in_out='Outdoor')
    assert {low.get_data_info(i)['lighting']
            for i in range(len(low))} == {'Low'}


def test_codan_classes_subset(root):
    ds = ExDarkClsDataset(root, split=None, classes=CODAN_CLASSES)
    assert ds.metainfo['classes'] == CODAN_CLASSES
    folders = [
        osp.basename(osp.dirname(ds.get_data_info(i)['img_path']))
        for i in range(len(ds))
    ]
    assert 'People' not in folders and 'Table' not in folders
    assert len(ds) == sum(f not in ('People', 'Table') for _, f, *_ in IMAGES)
    for i, folder in enumerate(folders):
        assert CODAN_CLASSES[ds.get_data_info(i)['gt_label']] == folder


def test_pipeline_loads_every_extension(root):
    from mmengine.registry import init_default_scope
    init_default_scope('mmpretrain')
    ds = ExDarkClsDataset(root, split=None, pipeline=PIPELINE)
    for i in range(len(ds)):
        sample = ds[i]
        assert tuple(sample['inputs'].shape) == (3, 64, 80)
        assert int(sample['data_samples'].gt_label) == \
            ds.get_data_info(i)['gt_label']


def test_bad_input(root, tmp_path):
    with pytest.raises(ValueError, match="unknown: \\['Person'\\]"):
        ExDarkClsDataset(root, classes=['Car', 'Person'])
    with pytest.raises(FileNotFoundError, match='imageclasslist.txt'):
        ExDarkClsDataset(str(tmp_path / 'nowhere'))
    os.remove(osp.join(root, 'ExDark', 'Cat', '2015_00007.jpg'))
    with pytest.raises(
            FileNotFoundError,
            match=r'imageclasslist.txt:8: image 2015_00007.jpg'):
        ExDarkClsDataset(root, split='test')
    with pytest.raises(ValueError, match='no image in .* matches'):
        ExDarkClsDataset(root, split='val', classes=['Bus'])
