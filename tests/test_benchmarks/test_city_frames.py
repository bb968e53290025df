"""The real benchmark's protocol on generated frames, end to end: tiny
scenes, both recipes, one level, 2 iterations, the shipped exposure-robust
day recognizer (its weights must stay bit-identical)."""
import json
import os.path as osp

import pytest
import torch

from mmllie.benchmarks.city_frames import RECOGNIZER, run_city_frames
from mmllie.testing.tools import checkpoint_state


@pytest.mark.slow
def test_tiny_city_frames_run(tmp_path):
    data = dict(num_train=3, num_val=2, img_size=(64, 128), seed=0)
    work_dir = str(tmp_path / 'run')
    results = run_city_frames(
        work_dir,
        str(tmp_path / 'data'),
        frames=2,
        levels=('hard', ),
        iters=2,
        workers=1,
        data=data)
    root = osp.join(str(tmp_path / 'data'), 'cityscapes-2frames')
    assert results['data_root'] == root
    rows = results['levels']['hard']['rows']
    assert set(rows) == {'start', 'labelled', 'label-free'}
    for row in rows.values():
        assert row['total'] == 2 and len(row['per_image']) == 2
    with open(osp.join(work_dir, 'results.json')) as f:
        assert json.load(f)['enhancer']['type'] == 'GPLLIE'
    shipped = checkpoint_state(RECOGNIZER)
    for recipe in ('labelled', 'label-free'):
        trained = checkpoint_state(
            osp.join(work_dir, f'{recipe}_hard_seed0', 'iter_2.pth'))
        recognizer = {
            k.split('recognizer.', 1)[-1]: v
            for k, v in trained.items() if 'enhancer' not in k
        }
        assert recognizer.keys() == shipped.keys()
        assert all(torch.equal(recognizer[k], shipped[k]) for k in shipped)


@pytest.mark.slow
def test_train_recognizer_from_the_shipped_one(tmp_path):
    """Two iterations of the exposure-robust fine-tune: a weights-only file
    of the shipped one's keys, moved by training."""
    from mmllie.benchmarks.city_frames import train_recognizer
    out = train_recognizer(
        str(tmp_path / 'run'),
        str(tmp_path / 'data'),
        iters=2,
        data=dict(num_train=4, num_val=2, img_size=(64, 128), seed=0))
    assert osp.basename(out) == osp.basename(RECOGNIZER)
    assert set(torch.load(out, map_location='cpu')) == {'state_dict', 'meta'}
    trained, shipped = checkpoint_state(out), checkpoint_state(RECOGNIZER)
    assert trained.keys() == shipped.keys()
    assert any(not torch.equal(trained[k], shipped[k]) for k in shipped)
