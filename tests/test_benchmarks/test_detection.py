"""The detection row, as a user runs it (--quick), with the shipped day
detector: day / night / GEM + PAM mAP@0.5 and a frozen detector."""
import json
import os.path as osp
import subprocess
import sys

import pytest
import torch

from mmllie.benchmarks.detection import DETECTOR
from mmllie.testing.tools import recognizer_part

pytestmark = pytest.mark.slow

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_quick_detection_row(tmp_path):
    assert osp.isfile(DETECTOR), 'shipped detector'
    work = tmp_path / 'work'
    proc = subprocess.run([
        sys.executable, 'tools/synthetic_night_benchmark.py', '--task',
        'detection', '--quick', '--work-dir',
        str(work), '--data-root',
        str(tmp_path / 'data')
    ],
                          cwd=REPO,
                          capture_output=True,
                          text=True,
                          timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert '| GEM + PAM |' in proc.stdout and 'mAP@0.5 hard' in proc.stdout
    with open(work / 'results.json') as f:
        results = json.load(f)
    hard = results['levels']['hard']
    for value in (results['day'], hard['night'], hard['gem+pam']):
        assert 0 <= value <= 100
    # the shipped detector finds the day scenes' objects and loses them
    # at night (8 val scenes)
    assert results['day'] > 30 and hard['night'] < results['day'] - 10
    # the detector stayed frozen: its weights in the enhancer checkpoint
    # are the shipped ones
    shipped = torch.load(DETECTOR, map_location='cpu')['state_dict']
    trained = torch.load(
        work / 'gem+pam_hard_seed0' / 'iter_20.pth',
        map_location='cpu')['state_dict']
    assert set(shipped) == set(recognizer_part(trained))
    for key, value in shipped.items():
        assert torch.equal(trained[key], value), key
