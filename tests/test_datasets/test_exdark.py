import os
import os.path as osp
from unittest import mock

import pytest

from mmllie.datasets import ExDarkDataset
from mmllie.datasets.exdark_layout import (EXDARK_CLASSES, read_image_list,
                                           select)
from mmllie.registry import DATASETS
from mmllie.testing.exdark import make_exdark, write


@pytest.fixture
def root(tmp_path):
    make_exdark(str(tmp_path))
    return str(tmp_path)


def _ds(root, **kwargs):
    return ExDarkDataset(data_root=root, pipeline=[], **kwargs)


def test_splits_and_coco_labels(root):
    assert DATASETS.get('ExDarkDataset') is ExDarkDataset
    sizes = {s: len(_ds(root, split=s)) for s in ('train', 'val', 'test')}
    assert sizes == dict(train=4, val=2, test=2)
    assert len(_ds(root, split=None)) == 8
    train = _ds(root, split='train')
    classes = train.metainfo['classes']
    assert len(classes) == 80 and len(train.metainfo['eval_classes']) == 12
    first = train.get_data_info(0)  # People + Bicycle + Car in one file
    assert first['img_path'].endswith(
        osp.join('ExDark', 'People', '2015_00001.png'))
    assert (first['width'], first['height']) == (80, 64)
    names = [classes[i['bbox_label']] for i in first['instances']]
    assert names == ['person', 'bicycle', 'car']
    assert first['instances'][0]['bbox'] == [4, 6, 24, 46]  # l t w h → xyxy
    # mixed-case extensions are read as listed
    paths = [train.get_data_info(i)['img_path'] for i in range(4)]
    assert [osp.splitext(p)[1]
            for p in paths] == ['.png', '.jpg', '.JPG', '.jpeg']
    val = _ds(root, split='val')
    table = [classes[i['bbox_label']] for i in val[0]['instances']]
    assert table == ['dining table', 'cup']
    assert classes[val.get_data_info(1)['instances'][0]['bbox_label']] == \
        'motorcycle'


def test_exdark_label_space_and_subsets(root):
    ds = _ds(root, split='val', label_space='exdark')
    assert ds.metainfo['classes'] == EXDARK_CLASSES
    assert [i['bbox_label'] for i in ds.get_data_info(0)['instances']
            ] == [EXDARK_CLASSES.index('Table'),
                  EXDARK_CLASSES.index('Cup')]
    low = _ds(root, split=None, lighting='Low')
    assert {low.get_data_info(i)['lighting']
            for i in range(len(low))} == {'Low'}
    assert len(low) == 3
    assert len(_ds(root, split=None, lighting=['Low', 'Ambient'])) == 4
    assert len(_ds(root, split='train', in_out='Indoor')) == 1
    with pytest.raises(ValueError, match="lighting 'Dark' is not one of"):
        _ds(root, lighting='Dark')
    with pytest.raises(ValueError, match='no image in .* matches'):
        _ds(root, split='test', in_out='Indoor', lighting='Low')


def test_split_file_codes(root):
    images = read_image_list(osp.join(root, 'imageclasslist.txt'))
    assert [i.split for i in images].count('train') == 4
    assert select(images, in_out='Outdoor')[0].lighting == 'Low'


def _edit_ann(root, folder, name, lines):
    write(
        osp.join(root, 'ExDark_Annno', folder, name + '.txt'),
        ['% bbGt version=3'] + lines)
    return osp.join(root, 'ExDark_Annno', folder, name + '.txt')


@pytest.mark.parametrize('line,match', [
    ('Person 1 1 10 10 0 0 0 0 0 0 0', r":2: unknown class 'Person'"),
    ('Car 1 1 0 10 0 0 0 0 0 0 0', ':2: box width/height must be > 0'),
    ('Car 1 1 10 -3 0 0 0 0 0 0 0', ':2: box width/height must be > 0'),
    ('Car 90 1 10 10 0 0 0 0 0 0 0', ':2: box .* outside the 80x64 image'),
    ('Car 1 x 10 10 0 0 0 0 0 0 0', ':2: expected "Class l t w h'),
])
def test_bad_annotation_line(root, line, match):
    path = _edit_ann(root, 'Car', '2015_00003.JPG', [line])
    with pytest.raises(ValueError, match=path.replace('.', r'\.') + match):
        _ds(root, split='train')


def test_box_past_border_is_clipped_and_counted(root):
    path = _edit_ann(root, 'Car', '2015_00003.JPG',
                     ['Car 70 50 20 20 0 0 0 0 0 0 0'])
    with mock.patch('mmllie.datasets.exdark.print_log') as log:
        ds = _ds(root, split='train')
    assert ds.get_data_info(2)['instances'][0]['bbox'] == [70, 50, 80, 64]
    assert f'clipped 1 boxes reaching past the image border to it ' \
           f'(first: {path}:2)' in log.call_args[0][0]


def test_missing_files_and_bad_split_file(root):
    split = osp.join(root, 'imageclasslist.txt')
    os.remove(osp.join(root, 'ExDark_Annno', 'Dog', '2015_00004.jpeg.txt'))
    with pytest.raises(
            FileNotFoundError,
            match=r'imageclasslist\.txt:5: annotation file .*'
            r'2015_00004\.jpeg\.txt of .* not found'):
        _ds(root, split='train')
    os.remove(osp.join(root, 'ExDark', 'Car', '2015_00003.JPG'))
    with pytest.raises(
            FileNotFoundError,
            match=r'imageclasslist\.txt:4: image 2015_00003\.JPG '
            r'is listed but not found in .*Car'):
        _ds(root, split='train')
    with open(split, 'a') as f:
        f.write('2015_09999.jpg 13 1 1 1\n')
    with pytest.raises(ValueError, match=r':10: Class code .13.'):
        _ds(root, split='val')
    with pytest.raises(FileNotFoundError, match='split file'):
        _ds(root, ann_file='nothing.txt')


def test_extension_case_differs_from_split_file(root):
    os.rename(
        osp.join(root, 'ExDark', 'Bicycle', '2015_00002.jpg'),
        osp.join(root, 'ExDark', 'Bicycle', '2015_00002.JPG'))
    ds = _ds(root, split='train')
    assert ds.get_data_info(1)['img_path'].endswith('2015_00002.JPG')


def test_bad_bbgt_header(root):
    path = osp.join(root, 'ExDark_Annno', 'Cat', '2015_00007.jpg.txt')
    write(path, ['Cat 1 1 5 5 0 0 0 0 0 0 0'])
    with pytest.raises(
            ValueError,
            match=r'2015_00007\.jpg\.txt:1: expected'
            ' the header "% bbGt version=3"'):
        _ds(root, split='test')
