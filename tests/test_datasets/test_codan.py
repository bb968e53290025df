"""CODaNDataset on a generated tree in the release's layout."""
import os
import os.path as osp

import pytest
from mmengine.registry import init_default_scope

from mmllie.datasets import CODaNDataset
from mmllie.datasets import codan as codan_module
from mmllie.datasets.codan_layout import CODAN_CLASSES, is_system_file
from mmllie.testing.codan import EMPTY, make_codan

PACK = dict(
    type='PackInputs',
    meta_keys=('img_path', 'ori_shape', 'img_shape', 'split'))


@pytest.fixture(scope='module')
def tree(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('codan') / 'data')
    counts = make_codan(root)
    return root, counts


@pytest.fixture
def logs(monkeypatch):
    messages = []
    monkeypatch.setattr(codan_module, 'print_log',
                        lambda msg, *a, **k: messages.append(msg))
    return messages


@pytest.mark.parametrize('split', ['train', 'val', 'test_day', 'test_night'])
def test_official_class_order_and_labels(tree, split):
    root, counts = tree
    ds = CODaNDataset(root, split=split)
    assert ds.metainfo['classes'] == CODAN_CLASSES
    assert CODAN_CLASSES[:3] == ('Bicycle', 'Car', 'Motorbike')
    assert len(ds) == counts[split]  # .jpg, .JPEG and .JPG alike
    for i in range(len(ds)):
        info = ds.get_data_info(i)
        folder = osp.basename(osp.dirname(info['img_path']))
        assert CODAN_CLASSES[info['gt_label']] == folder
        assert info['split'] == split
        assert not is_system_file(info['img_path'])
    exts = {
        osp.splitext(ds.get_data_info(i)['img_path'])[1]
        for i in range(len(ds))
    }
    assert exts == {'.jpg', '.JPEG', '.JPG'}


def test_system_files_skipped_and_counted(tree, logs):
    root, _ = tree
    ds = CODaNDataset(root, split='val')
    # hidden files (.DS_Store, ._* forks) are never listed; Thumbs.db is
    assert ds.ignored_files == ['Car/Thumbs.db']
    assert any("skipped 1 non-image file(s): 'Car/Thumbs.db'" in m
               for m in logs)
    assert any(f"['{EMPTY[1]}'] empty" in m for m in logs)
    assert any('the release has 500' in m for m in logs)


def test_pipeline_keeps_split(tree):
    root, _ = tree
    init_default_scope('mmpretrain')
    ds = CODaNDataset(
        root,
        split='test_night',
        pipeline=[dict(type='LoadImageFromFile'), PACK],
        test_mode=True)
    sample = ds[0]['data_samples']
    assert sample.split == 'test_night'
    assert int(sample.gt_label) == 0 and ds[0]['inputs'].shape[0] == 3


def test_missing_split_directory(tmp_path):
    make_codan(str(tmp_path), per_class=dict(val=1))
    with pytest.raises(FileNotFoundError) as e:
        CODaNDataset(str(tmp_path), split='test_night')
    msg = str(e.value)
    assert osp.join(str(tmp_path), 'test_night') in msg
    assert 'codan.py' in msg  # the converter command
    # a conversion killed mid-way leaves only its temporary directory
    os.makedirs(tmp_path / '.codan_tmp_test_night_x1' / 'test_night')
    with pytest.raises(FileNotFoundError, match='interrupted conversion'):
        CODaNDataset(str(tmp_path), split='test_night')


@pytest.mark.parametrize('folder', ['Person', 'bicycle'])
def test_unknown_class_folder(tmp_path, folder):
    make_codan(str(tmp_path), per_class=dict(val=1))
    os.makedirs(tmp_path / 'val' / folder)
    with pytest.raises(ValueError) as e:
        CODaNDataset(str(tmp_path), split='val')
    assert repr([folder]) in str(e.value)
    assert osp.join(str(tmp_path), 'val') in str(e.value)
    assert 'Bicycle' in str(e.value)


def test_corrupt_image_names_the_file(tmp_path):
    make_codan(str(tmp_path), per_class=dict(val=1))
    bad = tmp_path / 'val' / 'Cat' / 'cat_0000.JPG'
    assert bad.exists()
    bad.write_bytes(b'\xff\xd8\xff\xe0 not really a jpeg')
    init_default_scope('mmpretrain')
    ds = CODaNDataset(
        str(tmp_path),
        split='val',
        pipeline=[dict(type='LoadImageFromFile'), PACK])
    idx = [ds.get_data_info(i)['img_path']
           for i in range(len(ds))].index(str(bad))
    with pytest.raises(RuntimeError, match='cat_0000.JPG'):
        ds[idx]


def test_bad_split_and_empty_split(tmp_path):
    with pytest.raises(ValueError, match='test_night'):
        CODaNDataset(str(tmp_path), split='night')
    os.makedirs(tmp_path / 'val' / 'Car')
    (tmp_path / 'val' / 'Car' / 'notes.txt').write_text('x')
    with pytest.raises(FileNotFoundError, match='no images'):
        CODaNDataset(str(tmp_path), split='val')
