"""mmllie.ExLPoseDataset on generated trees in both release layouts."""
import json
import os
import os.path as osp

import numpy as np
import pytest
from mmpose.datasets import ExlposeDataset

from mmllie.datasets import exlpose
from mmllie.datasets.exlpose_layout import ANN_DIRS, canonical_subset
from mmllie.registry import DATASETS
from mmllie.testing.exlpose import LEVELS, image_name, make_exlpose

LL = ('LL-N', 'LL-H', 'LL-E', 'LL-A')


def build(root, **kwargs):
    return DATASETS.build(
        dict(
            type='mmllie.ExLPoseDataset',
            data_root=root,
            test_mode=True,
            **kwargs))


@pytest.fixture(scope='module')
def public(exlpose_trees):
    return exlpose_trees['public']


@pytest.fixture(scope='module')
def authors(exlpose_trees):
    return exlpose_trees['authors']


@pytest.mark.parametrize('name,canonical',
                         [('LL-A', 'LL-A'), ('LL-All', 'LL-A'),
                          ('ll-normal', 'LL-N'), ('LL-Hard', 'LL-H'),
                          ('LL-Extreme', 'LL-E'), ('WL', 'WL'),
                          ('train-LL', 'train-LL'), ('train_WL', 'train-WL')])
def test_subset_names(name, canonical):
    assert canonical_subset(name) == canonical


def test_unknown_subset_lists_names():
    with pytest.raises(ValueError, match=r"'LL-X'.*'LL-Normal'"):
        canonical_subset('LL-X')


@pytest.mark.parametrize('subset', LL)
def test_public_layout(public, subset):
    root, coco = public
    ds = build(root, subset=subset)
    assert ds.ann_file == osp.join(
        root, f'annotations/ExLPose/ExLPose_test_{subset}.json')
    assert len(ds) == len(coco[subset]['annotations'])
    assert ds.metainfo['subset'] == subset
    assert ds.metainfo['dataset_name'] == f'exlpose_{subset}'
    # inherited from mmpose's exlpose.py, not copied
    parent = ExlposeDataset(lazy_init=True).metainfo
    assert ds.metainfo['num_keypoints'] == 14
    np.testing.assert_array_equal(ds.metainfo['sigmas'], parent['sigmas'])
    files = {im['id']: im['file_name'] for im in coco[subset]['images']}
    for i, ann in enumerate(coco[subset]['annotations']):
        info = ds[i]
        assert info['img_path'] == osp.join(root, files[ann['image_id']])
        np.testing.assert_allclose(
            info['keypoints'][0],
            np.reshape(ann['keypoints'], (14, 3))[:, :2],
            rtol=1e-6)


@pytest.mark.parametrize('subset',
                         ['LL-Normal', 'LL-Hard', 'LL-Extreme', 'LL-All'])
def test_authors_layout_reads_dark_pairs(authors, subset):
    root, coco = authors
    ds = build(root, subset=subset)
    canonical = canonical_subset(subset)
    assert ds.ann_file == osp.join(
        root, f'Annotations/ExLPose/ExLPose_test_{subset}.json')
    assert len(ds) == len(coco[canonical]['annotations'])
    files = {im['id']: im['file_name'] for im in coco[canonical]['images']}
    for i in range(len(ds)):
        info = ds.get_data_info(i)
        listed = files[info['img_id']]
        vid = int(listed.split('_vid')[1][:6])
        assert listed.startswith('bright/')
        # mapped by name key + frame; the gain part differs
        assert info['img_path'] == osp.join(root, 'dark',
                                            image_name(vid, 52, 'dark'))
        assert osp.basename(listed) != image_name(vid, 52, 'dark')


def test_explicit_bright_tree_and_wl(public):
    root, _ = public
    ds = build(root, subset='LL-N', image_tree='bright')
    assert all('/bright/' in ds.get_data_info(i)['img_path']
               for i in range(len(ds)))
    wl = build(root, subset='WL')
    assert wl.image_tree == 'bright'
    assert all(
        osp.isfile(wl.get_data_info(i)['img_path']) for i in range(len(wl)))
    with pytest.raises(ValueError, match="'dark' or 'bright'"):
        build(root, subset='LL-N', image_tree='night')


def test_public_name_searched_first(tmp_path):
    root = str(tmp_path)
    make_exlpose(root, 'authors')
    assert build(root, subset='LL-N').ann_file.endswith('LL-Normal.json')
    make_exlpose(root, 'public')
    assert build(
        root, subset='LL-N').ann_file.endswith(
            'annotations/ExLPose/ExLPose_test_LL-N.json')


def test_missing_annotations_lists_every_path(tmp_path):
    with pytest.raises(FileNotFoundError) as err:
        build(str(tmp_path), subset='LL-E')
    msg = str(err.value)
    assert msg.count('.json') == 2 * len(ANN_DIRS)
    assert osp.join(
        str(tmp_path), 'annotations/ExLPose', 'ExLPose_test_LL-E.json') in msg
    assert 'ExLPose_test_LL-Extreme.json' in msg


def test_lazy_init_gives_metainfo_without_data(tmp_path):
    ds = build(str(tmp_path), subset='LL-Hard', lazy_init=True)
    assert ds.metainfo['dataset_name'] == 'exlpose_LL-H'
    with pytest.raises(FileNotFoundError, match='LL-Hard.json'):
        ds.full_init()


def test_missing_dark_tree_is_an_error(tmp_path):
    root = str(tmp_path)
    make_exlpose(root, 'authors')
    os.rename(osp.join(root, 'dark'), osp.join(root, 'night'))
    with pytest.raises(FileNotFoundError) as err:
        build(root, subset='LL-All')
    assert osp.join(root, 'dark') in str(err.value)
    assert 'LL-All.json' in str(err.value)


def test_missing_dark_pair_is_an_error(tmp_path):
    root = str(tmp_path)
    coco = make_exlpose(root, 'authors')
    im = coco['LL-H']['images'][0]
    vid = int(im['file_name'].split('_vid')[1][:6])
    os.remove(osp.join(root, 'dark', image_name(vid, 52, 'dark')))
    with pytest.raises(FileNotFoundError) as err:
        build(root, subset='LL-Hard')
    msg = str(err.value)
    assert im['file_name'] in msg and 'found 0 times' in msg
    assert f'vid{vid:06d}_exp1200_dark_000052_' in msg
    assert 'ExLPose_test_LL-Hard.json' in msg


def test_missing_image_names_file(tmp_path):
    root = str(tmp_path)
    coco = make_exlpose(root, 'public')
    im = coco['LL-E']['images'][1]
    os.remove(osp.join(root, im['file_name']))
    with pytest.raises(FileNotFoundError) as err:
        build(root, subset='LL-E')
    msg = str(err.value)
    assert osp.join(root, im['file_name']) in msg
    assert 'ExLPose_test_LL-E.json' in msg and f'image id {im["id"]}' in msg


def _rewrite(root, name, data):
    path = osp.join(root, 'annotations/ExLPose', name)
    with open(path, 'w') as f:
        f.write(data if isinstance(data, str) else json.dumps(data))
    return path


def test_wrong_keypoint_length(tmp_path):
    root = str(tmp_path)
    coco = make_exlpose(root, 'public')['LL-N']
    bad = coco['annotations'][1]
    bad['keypoints'] = bad['keypoints'][:39]
    path = _rewrite(root, 'ExLPose_test_LL-N.json', coco)
    file_name = next(im['file_name'] for im in coco['images']
                     if im['id'] == bad['image_id'])
    with pytest.raises(ValueError) as err:
        build(root, subset='LL-N')
    msg = str(err.value)
    assert path in msg and f'annotation id {bad["id"]}' in msg
    assert file_name in msg and 'has 39 keypoint values' in msg


@pytest.mark.parametrize('data,missing',
                         [({
                             'images': []
                         }, "['annotations', 'categories']"),
                          ([1, 2], "['images', 'annotations', 'categories']"),
                          ('{"images": [', 'not a JSON file')])
def test_not_coco_style(tmp_path, data, missing):
    root = str(tmp_path)
    make_exlpose(root, 'public')
    path = _rewrite(root, 'ExLPose_test_LL-A.json', data)
    with pytest.raises(ValueError) as err:
        build(root, subset='LL-A')
    assert path in str(err.value) and missing in str(err.value)


def test_train_subset_and_levels_cover_all(public):
    root, coco = public
    assert len(build(root, subset='train-LL')) == len(
        coco['train-LL']['annotations'])
    ids = [
        set(ds.get_data_info(i)['id'] for i in range(len(ds)))
        for ds in (build(root, subset=s) for s in LEVELS)
    ]
    all_ids = set(a['id'] for a in coco['LL-A']['annotations'])
    assert set.union(*ids) == all_ids and sum(map(len, ids)) == len(all_ids)


def test_annotations_without_keypoints_are_counted(tmp_path, monkeypatch):
    """Persons without keypoints or box: skipped as by mmpose, but said."""
    root = str(tmp_path)
    coco = make_exlpose(root, 'public')['LL-A']
    n = len(coco['annotations'])
    del coco['annotations'][0]['keypoints']
    del coco['annotations'][1]['bbox']
    _rewrite(root, 'ExLPose_test_LL-A.json', coco)
    logged = []
    monkeypatch.setattr(exlpose, 'print_log',
                        lambda msg, *a: logged.append(msg))
    ds = build(root, subset='LL-A')
    assert len(ds) == n - 2
    out = '\n'.join(logged)
    assert f'2 of {n} annotations' in out and 'no keypoints or no bbox' in out


@pytest.mark.parametrize('change,match', [
    (lambda c: c.update(annotations=[]), 'holds no annotations'),
    (lambda c: c['annotations'][1].update(image_id=999),
     r'annotation id \d+ refers to image_id 999'),
    (lambda c: c['annotations'][0]['keypoints'].__setitem__(4, 'x'),
     r'annotation id \d+ has keypoints=.*expected a list of numbers'),
    (lambda c: c['annotations'][0].update(bbox=[1, 2, 3]),
     r'annotation id \d+ has bbox=\[1, 2, 3\]; expected 4 numbers'),
])
def test_broken_annotations_are_named(tmp_path, change, match):
    root = str(tmp_path)
    coco = make_exlpose(root, 'public')['LL-A']
    change(coco)
    path = _rewrite(root, 'ExLPose_test_LL-A.json', coco)
    with pytest.raises(ValueError, match=match) as err:
        build(root, subset='LL-A')
    assert path in str(err.value)
