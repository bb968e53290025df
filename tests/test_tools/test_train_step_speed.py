"""tools/analysis_tools/train_step_speed.py on the main job's config."""
import os.path as osp
import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CFG = 'configs/synthetic/gpllie_deeplabv3plus-r18-tiny_1xb8-300_synthetic-night-64x128.py'  # noqa: E501


def test_prints_both_layouts_and_ratio():
    proc = subprocess.run([
        sys.executable, 'tools/analysis_tools/train_step_speed.py', CFG,
        '--repeats', '2', '--warmup', '0', '--batch-size', '2'
    ],
                          cwd=REPO,
                          capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert 'batch 2, train 64x128, test 128x256, 1 thread(s)' in proc.stdout
    for what in ('training step', 'test forward'):
        line, = [x for x in proc.stdout.splitlines() if x.startswith(what)]
        a, b, ratio = map(float, re.findall(r'(\d+\.\d+)', line))
        assert a > 0 and b > 0 and abs(ratio - a / b) < 0.02


def test_refuses_a_config_without_enhancer():
    proc = subprocess.run(
        [
            sys.executable,
            'tools/analysis_tools/train_step_speed.py',
            'configs/synthetic/deeplabv3plus_r18-tiny_1xb8-20k_synthetic-day-64x128.py'  # noqa: E501
        ],
        cwd=REPO,
        capture_output=True,
        text=True)
    assert proc.returncode != 0
    assert 'is not mmllie.GlobalPixelwiseEnhancer' in proc.stderr
