"""Synthetic street scenes in the NightCity layout."""
import filecmp
import hashlib
import json
import os
import os.path as osp
import re
import runpy
import subprocess
import sys
import time

import cv2
import numpy as np
import pytest

from mmllie.datasets.nightcity_convert import (VALID_LABEL_IDS,
                                               convert_nightcity_labels,
                                               label_ids_to_train_ids)
from mmllie.datasets.synthetic_city import (CLASS_IDS, IMG_DIR, LABEL_DIR,
                                            MANIFEST, darken_dataset,
                                            generate_synthetic_city,
                                            render_street_scene)
from mmllie.registry import DATASETS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(REPO, 'tools', 'dataset_converters', 'synthetic_city.py')
SMALL = dict(num_train=5, num_val=3, img_size=(64, 128), show_progress=False)
#: The classes the synthetic benchmark is about (Cityscapes labelIds).
REQUIRED = dict(
    road=7,
    sidewalk=8,
    building=11,
    pole=17,
    traffic_sign=20,
    vegetation=21,
    sky=23,
    person=24,
    car=26)


def files(root, sub=''):
    out = []
    for d, _, names in os.walk(osp.join(root, sub)):
        out += [osp.relpath(osp.join(d, n), root) for n in names]
    return sorted(out)


def read(path):
    return cv2.imread(path, cv2.IMREAD_UNCHANGED)


@pytest.fixture(scope='module')
def day(tmp_path_factory):
    return generate_synthetic_city(
        str(tmp_path_factory.mktemp('synth') / 'day'), seed=0, **SMALL)


def test_layout_on_disk(day):
    imgs, labels = files(day, IMG_DIR), files(day, LABEL_DIR)
    assert len(imgs) == 8 and len(labels) == 8
    for split, n in (('train', 5), ('val', 3)):
        stems = sorted(f[:-4]
                       for f in os.listdir(osp.join(day, IMG_DIR, split)))
        assert len(stems) == n
        for stem in stems:
            assert re.fullmatch(r'[A-Z][a-z]+_\d{4}', stem)
            img = read(osp.join(day, IMG_DIR, split, stem + '.png'))
            lbl = read(osp.join(day, LABEL_DIR, split, stem + '_labelIds.png'))
            assert img.shape == (64, 128, 3) and img.dtype == np.uint8
            assert lbl.shape == (64, 128) and lbl.dtype == np.uint8
    train = set(os.listdir(osp.join(day, IMG_DIR, 'train')))
    assert not train & set(os.listdir(osp.join(day, IMG_DIR, 'val')))
    with open(osp.join(day, MANIFEST)) as f:
        manifest = json.load(f)
    assert manifest['complete'] and manifest['params']['seed'] == 0


def test_label_ids_valid_and_every_class_present():
    seen = set()
    for i in range(8):
        img, lbl = render_street_scene(np.random.default_rng(i), (64, 128))
        ids = set(np.unique(lbl).tolist())
        assert ids <= set(CLASS_IDS.values()) and ids <= VALID_LABEL_IDS
        seen |= ids
        train_ids = label_ids_to_train_ids(lbl)
        assert set(np.unique(train_ids)) <= set(range(19)) | {255}
    assert set(REQUIRED.values()) <= seen


def test_classes_differ_in_colour_and_texture():
    """Per-class mean colour and local texture differ, and objects move:
    a class's pixel position varies across scenes."""
    colours, tex, centres = {}, {}, {}
    for i in range(6):
        img, lbl = render_street_scene(np.random.default_rng(i))
        grad = np.abs(cv2.Laplacian(img.mean(2), cv2.CV_64F))
        for name, cid in REQUIRED.items():
            m = lbl == cid
            if m.sum() > 30:
                colours.setdefault(name, []).append(img[m].mean(0))
                tex.setdefault(name, []).append(grad[m].mean())
                centres.setdefault(name, []).append(np.argwhere(m).mean(0))
    assert np.mean(tex['vegetation']) > 1.5 * np.mean(tex['sky'])
    assert np.mean(tex['vegetation']) > 1.2 * np.mean(tex['road'])
    sky, veg = np.mean(colours['sky'], 0), np.mean(colours['vegetation'], 0)
    assert sky[0] > sky[2] and veg[1] > veg[0]  # BGR: blue sky, green trees
    for name in ('car', 'person', 'building'):
        assert np.std(centres[name], 0).max() > 5  # not a fixed position
    for name in ('car', 'building'):  # instances vary in colour
        assert np.std(colours[name], 0).max() > 10


def test_deterministic_and_seed_dependent(day, tmp_path):
    again = generate_synthetic_city(str(tmp_path / 'again'), seed=0, **SMALL)
    names = files(day, 'NightCity-images') + files(day, 'NightCity-label')
    match, mismatch, errors = filecmp.cmpfiles(
        day, again, names, shallow=False)
    assert len(match) == 16 and not mismatch and not errors
    other = generate_synthetic_city(str(tmp_path / 'other'), seed=1, **SMALL)
    a = osp.join(IMG_DIR, 'train', 'Aachen_0000.png')
    assert not filecmp.cmp(osp.join(day, a), osp.join(other, a), False)
    # image i does not depend on how many images are generated
    fewer = generate_synthetic_city(
        str(tmp_path / 'fewer'), 2, 1, (64, 128), show_progress=False)
    assert filecmp.cmp(osp.join(day, a), osp.join(fewer, a), False)


def test_worker_processes_write_the_same_files(day, tmp_path):
    par = generate_synthetic_city(
        str(tmp_path / 'par'), seed=0, nproc=2, **SMALL)
    names = files(day, 'NightCity-images') + files(day, 'NightCity-label')
    match, mismatch, errors = filecmp.cmpfiles(day, par, names, False)
    assert len(match) == 16 and not mismatch and not errors
    assert files(par) == files(day)
    one = darken_dataset(
        day, str(tmp_path / 'one'), 'hard', seed=0, show_progress=False)
    two = darken_dataset(
        day,
        str(tmp_path / 'two'),
        'hard',
        seed=0,
        show_progress=False,
        nproc=2)
    match, mismatch, errors = filecmp.cmpfiles(one, two, names, False)
    assert len(match) == 16 and not mismatch and not errors
    for bad in (0, 1.5):
        with pytest.raises(ValueError, match='nproc'):
            generate_synthetic_city(
                str(tmp_path / 'bad'), seed=0, nproc=bad, **SMALL)
        with pytest.raises(ValueError, match='nproc'):
            darken_dataset(day, str(tmp_path / 'bad'), 'hard', nproc=bad)
    assert not osp.exists(tmp_path / 'bad')


def test_idempotent_refuses_other_data_unless_overwrite(day, tmp_path):
    stamp = {f: os.stat(osp.join(day, f)).st_mtime_ns for f in files(day)}
    generate_synthetic_city(day, seed=0, **SMALL)  # same params: no-op
    assert stamp == {
        f: os.stat(osp.join(day, f)).st_mtime_ns
        for f in files(day)
    }
    with pytest.raises(FileExistsError, match='overwrite=True'):
        generate_synthetic_city(day, seed=3, **SMALL)
    # a missing file is rewritten, identical
    root = generate_synthetic_city(
        str(tmp_path / 'd'), 2, 1, (64, 128), show_progress=False)
    img = osp.join(root, IMG_DIR, 'val', 'Frankfurt_0000.png')
    before = open(img, 'rb').read()
    os.remove(img)
    generate_synthetic_city(root, 2, 1, (64, 128), show_progress=False)
    assert open(img, 'rb').read() == before
    generate_synthetic_city(
        root, 1, 1, (64, 128), seed=2, overwrite=True, show_progress=False)
    assert len(files(root, IMG_DIR)) == 2


def test_refuses_foreign_nightcity_data(tmp_path):
    root = str(tmp_path / 'NightCity')
    os.makedirs(osp.join(root, IMG_DIR, 'train'))
    cv2.imwrite(
        osp.join(root, IMG_DIR, 'train', 'Chicago_0001.png'),
        np.zeros((8, 8, 3), np.uint8))
    with pytest.raises(FileExistsError, match='without a synthetic_city'):
        generate_synthetic_city(root, 1, 1, (64, 128), show_progress=False)
    assert osp.isfile(osp.join(root, IMG_DIR, 'train', 'Chicago_0001.png'))
    generate_synthetic_city(
        root, 1, 1, (64, 128), overwrite=True, show_progress=False)
    assert not osp.exists(osp.join(root, IMG_DIR, 'train', 'Chicago_0001.png'))


def test_night_versions_match_and_are_darker(day, tmp_path):
    night = generate_synthetic_city(
        str(tmp_path / 'hard'), night_level='hard', seed=0, **SMALL)
    copy = darken_dataset(
        day, str(tmp_path / 'copy'), 'hard', seed=0, show_progress=False)
    names = files(night, 'NightCity-images') + files(night, 'NightCity-label')
    match, mismatch, errors = filecmp.cmpfiles(night, copy, names, False)
    assert len(match) == 16 and not mismatch and not errors
    for name in files(day, LABEL_DIR):  # same scenes, same labels
        assert filecmp.cmp(osp.join(day, name), osp.join(night, name), False)
    for name in files(day, IMG_DIR):
        assert read(osp.join(
            night, name)).mean() < 0.6 * read(osp.join(day, name)).mean()
    before = os.stat(osp.join(copy, MANIFEST)).st_mtime_ns
    darken_dataset(day, copy, 'hard', seed=0, show_progress=False)
    assert os.stat(osp.join(copy, MANIFEST)).st_mtime_ns == before
    with pytest.raises(FileExistsError):
        darken_dataset(day, copy, 'extreme', seed=0, show_progress=False)


def test_loads_as_nightcity_after_label_conversion(day, tmp_path):
    root = darken_dataset(
        day, str(tmp_path / 'n'), 'normal', show_progress=False)
    convert_nightcity_labels(osp.join(root, LABEL_DIR))
    dataset = DATASETS.build(
        dict(
            type='mmllie.NightCityDataset',
            data_root=root,
            data_prefix=dict(
                img_path=f'{IMG_DIR}/val', seg_map_path=f'{LABEL_DIR}/val'),
            pipeline=[
                dict(type='mmcv.LoadImageFromFile'),
                dict(type='mmseg.LoadAnnotations')
            ]))
    assert len(dataset) == 3
    sample = dataset[0]
    assert sample['img'].shape == (64, 128, 3)
    assert set(np.unique(sample['gt_seg_map'])) <= set(range(19)) | {255}


@pytest.mark.parametrize('kwargs, error', [
    (dict(num_train=-1), ValueError),
    (dict(img_size=(16, 64)), ValueError),
    (dict(night_level='dusk'), ValueError),
])
def test_bad_arguments(tmp_path, kwargs, error):
    args = dict(SMALL, **kwargs)
    with pytest.raises(error):
        generate_synthetic_city(str(tmp_path / 'x'), **args)
    assert not osp.exists(tmp_path / 'x')


def test_darken_needs_a_dataset(tmp_path):
    with pytest.raises(FileNotFoundError, match='NightCity layout'):
        darken_dataset(str(tmp_path), str(tmp_path / 'out'), 'hard')
    with pytest.raises(ValueError, match='differ'):
        darken_dataset(str(tmp_path), str(tmp_path), 'hard')


def test_fast_enough():
    start = time.perf_counter()
    for i in range(20):
        render_street_scene(np.random.default_rng(i), (128, 256))
    assert time.perf_counter() - start < 10  # ~0.03 s each measured


@pytest.mark.slow
def test_cli(tmp_path, monkeypatch, capsys):
    out = str(tmp_path / 'cli')
    args = [
        out, '--num-train', '2', '--num-val', '1', '--size', '64', '96',
        '--level', 'extreme', '--quiet'
    ]
    done = subprocess.run(
        [sys.executable, TOOL] + args,
        capture_output=True,
        text=True,
        cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert len(files(out, IMG_DIR)) == 3
    assert read(osp.join(out, IMG_DIR, 'train',
                         'Aachen_0000.png')).shape == (64, 96, 3)
    # in-process (no second interpreter start): other params are refused
    args[args.index('extreme')] = 'hard'
    monkeypatch.setattr(sys, 'argv', [TOOL] + args)
    with pytest.raises(SystemExit, match='error: .*--overwrite'):
        runpy.run_path(TOOL, run_name='__main__')
    monkeypatch.setattr(sys, 'argv', [TOOL, out, '--darken-from', out])
    with pytest.raises(SystemExit, match='needs --level'):
        runpy.run_path(TOOL, run_name='__main__')


def test_styles():
    rng = lambda: np.random.default_rng([0, 0, 0])  # noqa: E731
    img, lbl = render_street_scene(rng(), (64, 128))
    # the default style is the original generator, byte for byte (md5 of
    # the scene rendered before styles existed)
    digest = hashlib.md5(img.tobytes() + lbl.tobytes()).hexdigest()
    assert digest == '3946610fccbff8138e5702c559b9f9fb'
    assert render_street_scene(rng(), (64, 128), style='city')[0].tobytes() \
        == img.tobytes()
    town, town_lbl = render_street_scene(rng(), (64, 128), style='town')
    assert np.abs(town.astype(int) - img).mean() > 10
    assert set(np.unique(town_lbl)) <= set(CLASS_IDS.values()) | {0}
    with pytest.raises(ValueError, match='style'):
        render_street_scene(rng(), (64, 128), style='mars')
