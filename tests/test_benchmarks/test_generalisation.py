"""The training-set-size / style-shift sweep in a tiny mode."""
import json
import math
import os.path as osp

import mmcv
import pytest

from mmllie.benchmarks.generalisation import (SHIFT_STYLE, VARIANTS,
                                              run_generalisation_sweep)

pytestmark = pytest.mark.slow

TINY = dict(num_train=4, num_val=4, img_size=(64, 128), seed=0)


def test_tiny_sweep(tmp_path):
    work = str(tmp_path / 'sweep')
    results = run_generalisation_sweep(
        work,
        data_root=str(tmp_path / 'data'),
        sizes=(2, ),
        iters=2,
        levels=('hard', ),
        data=TINY)
    # the shift scenes are another generator style, val only
    shift_manifest = tmp_path / 'data' / SHIFT_STYLE / 'day' / \
        'synthetic_city.json'
    params = json.loads(shift_manifest.read_text())['params']
    assert params['style'] == SHIFT_STYLE and params['num_train'] == 0
    rows = {(r['variant'], r['num_train']): r for r in results['rows']}
    assert set(rows) == {(v, n) for v in VARIANTS for n in (0, 2)}
    for row in rows.values():
        for style in ('city', SHIFT_STYLE):
            assert math.isfinite(row['miou'][style]['hard'])
    # the class defaults start as the identity: exactly no enhancer
    base = results['no_enhancer']
    assert rows[('identity start', 0)]['miou'] == {
        s: {
            'hard': base[s]['hard']
        }
        for s in base
    }
    with open(osp.join(work, 'sweep.json')) as f:
        assert json.load(f)['rows'] == results['rows']
    md = open(osp.join(work, 'sweep.md')).read()
    assert '| identity start | 2 |' in md
    assert '| grey-world start | untrained |' in md
    assert f'hard ({SHIFT_STYLE})' in md
    assert mmcv.imread(osp.join(work, 'sweep.png')).shape[0] > 100
    # finished models are reused: a second run trains nothing
    again = run_generalisation_sweep(
        work,
        data_root=str(tmp_path / 'data'),
        sizes=(2, ),
        iters=2,
        levels=('hard', ),
        data=TINY)
    assert again['rows'] == results['rows']
