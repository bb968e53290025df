"""tools/dataset_converters/codan.py on release-style archives."""
import os
import os.path as osp
import subprocess
import sys

import pytest

from mmllie.datasets import CODaNDataset
from mmllie.datasets.codan_convert import convert_codan
from mmllie.testing.codan import make_codan, make_release

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SPLITS = ('train', 'val', 'test_day', 'test_night')


@pytest.fixture
def release(tmp_path):
    tree = str(tmp_path / 'tree')
    counts = make_codan(tree, per_class=dict(train=2, val=1), size=16)
    data = str(tmp_path / 'CODaN' / 'data')
    make_release(tree, data)
    return data, counts


def _cli(*args):
    return subprocess.run(
        [sys.executable, 'tools/dataset_converters/codan.py', *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300)


@pytest.mark.slow
def test_unpacks_joins_and_is_idempotent(release):
    data, counts = release
    proc = _cli(data)  # test_day and test_night are missing: nothing done
    assert proc.returncode == 1 and 'codan_test_day.tar.bz2' in proc.stdout
    assert not osp.exists(osp.join(data, 'train'))
    proc = _cli(data, '--splits', 'train', 'val')
    assert proc.returncode == 0, proc.stdout
    assert 'train: unpacked' in proc.stdout
    for split in ('train', 'val'):
        assert len(CODaNDataset(data, split=split)) == counts[split]
    # the pieces stay; no joined archive, no temporary directory is left
    left = sorted(os.listdir(data))
    assert left == [
        'codan_train.tar.bz2.part0', 'codan_train.tar.bz2.part1',
        'codan_train.tar.bz2.part2', 'codan_val.tar.bz2', 'train', 'val'
    ]
    # a second run keeps what is there, the user's edits included
    marker = osp.join(data, 'train', 'Car', 'mine.txt')
    open(marker, 'w').close()
    proc = _cli(data, '--splits', 'train', 'val')
    assert proc.returncode == 0, proc.stdout
    assert 'train: ' + data + '/train exists, skipped' in proc.stdout
    assert osp.exists(marker)
    # files: + Thumbs.db, .DS_Store and a ._ fork, not the user's file
    assert convert_codan(
        data, overwrite=True,
        splits=['train']) == dict(train=counts['train'] + 3)
    assert not osp.exists(marker)


@pytest.mark.slow
def test_missing_archive_part(release):
    data, _ = release
    os.remove(osp.join(data, 'codan_train.tar.bz2.part1'))
    proc = _cli(data)
    assert proc.returncode != 0
    assert osp.join(data, 'codan_train.tar.bz2.part1') in proc.stdout
    assert 'Traceback' not in proc.stdout
    assert not osp.exists(osp.join(data, 'train'))


def test_missing_split_archive(release):
    data, _ = release
    with pytest.raises(FileNotFoundError, match='codan_test_day.tar.bz2'):
        convert_codan(data, splits=['test_day'])
    with pytest.raises(ValueError, match='unknown CODaN split'):
        convert_codan(data, splits=['night'])


def test_truncated_archive_leaves_nothing(release):
    data, _ = release
    part = osp.join(data, 'codan_train.tar.bz2.part2')
    with open(part, 'rb') as f:
        content = f.read()
    with open(part, 'wb') as f:
        f.write(content[:len(content) // 2])
    with pytest.raises(ValueError, match='corrupt or truncated'):
        convert_codan(data, splits=['train'])
    assert sorted(os.listdir(data))[-1] == 'codan_val.tar.bz2'  # no train/


def test_interrupted_conversion_is_detected_and_redone(release):
    data, counts = release
    # what a conversion killed mid-write leaves: a partial temporary tree
    partial = osp.join(data, '.codan_tmp_train_abc123', 'train', 'Car')
    os.makedirs(partial)
    with pytest.raises(FileNotFoundError, match='interrupted conversion'):
        CODaNDataset(data, split='train')
    convert_codan(data, splits=['train'])
    assert not osp.exists(osp.dirname(osp.dirname(partial)))
    assert len(CODaNDataset(data, split='train')) == counts['train']


def test_wrong_archive_content(release, tmp_path):
    data, _ = release
    # the val archive renamed as test_night: entries are under val/
    os.rename(
        osp.join(data, 'codan_val.tar.bz2'),
        osp.join(data, 'codan_test_night.tar.bz2'))
    with pytest.raises(ValueError, match='outside test_night/'):
        convert_codan(data, splits=['test_night'])
    assert not osp.exists(osp.join(data, 'test_night'))
