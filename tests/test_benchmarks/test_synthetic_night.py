"""The README's main job in --quick mode, exactly as a user runs it."""
import json
import math
import os.path as osp
import subprocess
import sys

import mmcv
import pytest

from mmllie.benchmarks.synthetic_night import (RECOGNIZER, SETTINGS,
                                               default_settings)

pytestmark = pytest.mark.slow

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


@pytest.fixture(scope='module')
def quick_run(tmp_path_factory):
    assert osp.isfile(RECOGNIZER), 'shipped recognizer'
    tmp = tmp_path_factory.mktemp('synthetic_night')
    work = str(tmp / 'work')
    proc = subprocess.run([
        sys.executable, 'tools/synthetic_night_benchmark.py', '--quick',
        '--work-dir', work, '--data-root',
        str(tmp / 'data')
    ],
                          cwd=REPO,
                          capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return work, proc.stdout


def test_quick_table(quick_run):
    work, stdout = quick_run
    with open(osp.join(work, 'results.json')) as f:
        results = json.load(f)
    rows = {row['name']: row for row in results['rows']}
    # the default run: the method with night labels and the two label-free
    # ways (--full adds the ablations and baselines)
    assert default_settings() == [
        'GEM + PAM', 'GEM + PAM, label-free (day images only)',
        'GEM + PAM, day labels + synthetic darkening'
    ]
    assert set(default_settings(full=True)) == set(SETTINGS)
    assert set(rows) == {
        'day images (no darkening)', 'no enhancer', *default_settings()
    }
    for row in results['rows']:
        assert math.isfinite(row['miou']) and 0 <= row['miou'] <= 100
        if row['seed'] is not None:
            assert math.isfinite(row['recovered'])
    # the claim, measured: night hurts, GEM + PAM brings some of it back
    assert rows['day images (no darkening)']['miou'] > \
        rows['no enhancer']['miou'] + 10
    assert rows['GEM + PAM']['miou'] > rows['no enhancer']['miou']
    md = open(osp.join(work, 'results.md')).read()
    for name in default_settings():
        assert f'| {name} | 0 |' in md
    assert 'GEM + PAM' in stdout and 'results.json' in stdout


def test_quick_picture(quick_run):
    work, _ = quick_run
    img = mmcv.imread(osp.join(work, 'figure.png'))
    # a title strip + 4 images × (night, GEM, final, prediction, ground
    # truth) of the 128×256 scenes at 1× scale
    assert img.shape == (24 + 4 * 128, 5 * 256, 3)
    tiles = [img[24:, i * 256:(i + 1) * 256].astype(float) for i in range(5)]
    for a, b in zip(tiles, tiles[1:]):
        assert abs(a - b).mean() > 1  # every column shows something else


def test_other_scene_size_needs_its_recognizer(tmp_path):
    """The shipped recognizer is for 128×256 scenes: another --img-size
    without --recognizer is refused before any data is generated."""
    from mmllie.benchmarks import run_synthetic_night_benchmark
    from mmllie.benchmarks.synthetic_night import DATA
    data = dict(DATA, img_size=(64, 128))
    with pytest.raises(ValueError, match=r'\(64, 128\).*--train-recognizer'):
        run_synthetic_night_benchmark(
            str(tmp_path / 'w'), data_root=str(tmp_path / 'd'), data=data)
    assert not osp.exists(tmp_path / 'd')
