"""tools/dataset_converters/nightcity.py and its conversion functions."""
import os
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from mmllie.datasets.nightcity_convert import (convert_label_file,
                                               convert_nightcity_labels,
                                               label_ids_to_train_ids)

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(REPO, 'tools', 'dataset_converters', 'nightcity.py')
SPLITS = dict(train=3, val=2, val_plus=2)


def write_labels(gt_dir, seed=0):
    """Random Cityscapes labelIds maps (0..33 and 255) in the release
    layout; returns {path: array}."""
    rng = np.random.default_rng(seed)
    out = {}
    for split, n in SPLITS.items():
        os.makedirs(osp.join(gt_dir, split))
        for i in range(n):
            ids = rng.integers(0, 34, (32, 64), dtype=np.uint8)
            ids[0, :4] = 255  # license plate (-1)
            path = osp.join(gt_dir, split, f'Zurich_{i:04d}_labelIds.png')
            Image.fromarray(ids).save(path)
            out[path] = ids
    return out


def read(path):
    return np.array(Image.open(path))


def run_tool(*args):
    return subprocess.run([sys.executable, TOOL, *args],
                          capture_output=True,
                          text=True,
                          cwd=REPO)


def test_mapping_known_values():
    ids = np.array([[7, 26, 0, 33], [255, 1, 23, 24]], dtype=np.uint8)
    expected = [[0, 13, 255, 18], [255, 255, 10, 11]]
    np.testing.assert_array_equal(label_ids_to_train_ids(ids), expected)


@pytest.mark.slow
def test_cli_converts_every_split_idempotently_and_refuses_overwrite(tmp_path):
    root = str(tmp_path / 'NightCity')
    gt_dir = osp.join(root, 'NightCity-label', 'label')
    labels = write_labels(gt_dir)
    res = run_tool(root)
    assert res.returncode == 0, res.stderr
    assert 'converted 7, skipped 0' in res.stdout
    outs = {p: p.replace('_labelIds.png', '_trainIds.png') for p in labels}
    for src, dst in outs.items():
        got = read(dst)
        assert got.dtype == np.uint8 and got.shape == (32, 64)
        ids = labels[src]
        assert set(np.unique(got)) <= set(range(19)) | {255}
        assert (got[ids == 7] == 0).all() and (got[ids == 26] == 13).all()
        assert (got[ids == 0] == 255).all() and (got[0, :4] == 255).all()
    mtimes = {p: os.stat(p).st_mtime_ns for p in outs.values()}

    res = run_tool(root, '--nproc', '2')  # re-run: nothing rewritten
    assert res.returncode == 0, res.stderr
    assert 'converted 0, skipped 7' in res.stdout
    assert mtimes == {p: os.stat(p).st_mtime_ns for p in outs.values()}

    tampered = outs[sorted(outs)[0]]
    Image.fromarray(np.zeros((32, 64), np.uint8)).save(tampered)
    res = run_tool(root)
    assert res.returncode != 0
    assert tampered in res.stderr and '--overwrite' in res.stderr
    assert not read(tampered).any()  # left alone
    res = run_tool(root, '--overwrite')
    assert res.returncode == 0, res.stderr
    src = sorted(outs)[0]
    np.testing.assert_array_equal(
        read(tampered), label_ids_to_train_ids(labels[src]))


@pytest.mark.parametrize('nproc', [1, 2])
def test_bad_ids_named_and_good_files_still_converted(tmp_path, nproc):
    gt_dir = str(tmp_path)
    labels = write_labels(gt_dir)
    bad = sorted(labels)[1]
    ids = labels[bad].copy()
    ids[5, 5], ids[6, 6] = 40, 200
    Image.fromarray(ids).save(bad)
    with pytest.raises(ValueError) as e:
        convert_nightcity_labels(gt_dir, nproc=nproc)
    assert '1 of 7' in str(e.value) and bad in str(e.value)
    assert '[40, 200]' in str(e.value)
    converted = [p for p in labels if p != bad]
    assert all(
        osp.exists(p.replace('_labelIds', '_trainIds')) for p in converted)
    assert not osp.exists(bad.replace('_labelIds', '_trainIds'))


def test_colour_label_and_missing_dirs_are_named(tmp_path):
    src = str(tmp_path / 'a_labelIds.png')
    Image.fromarray(np.zeros((4, 4, 3), np.uint8)).save(src)
    with pytest.raises(ValueError, match='a_labelIds.png.*single-channel'):
        convert_label_file(src, str(tmp_path / 'a_trainIds.png'))
    missing = str(tmp_path / 'nope')
    with pytest.raises(FileNotFoundError, match=missing):
        convert_nightcity_labels(missing)
    empty = tmp_path / 'empty'
    empty.mkdir()
    with pytest.raises(FileNotFoundError, match='no \\*_labelIds.png'):
        convert_nightcity_labels(str(empty))
