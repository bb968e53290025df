"""tools/analysis_tools/train_step_speed.py on the main job's config."""
import re

import pytest

from mmllie.testing.tools import run_tool

pytestmark = pytest.mark.slow

CFG = 'configs/synthetic/gpllie_deeplabv3plus-r18-tiny_1xb8-300_synthetic-night-64x128.py'  # noqa: E501


def test_prints_both_layouts_and_ratio():
    out = run_tool('tools/analysis_tools/train_step_speed.py', CFG,
                   '--repeats', '2', '--warmup', '0', '--batch-size', '2')
    assert 'batch 2, train 64x128, test 128x256, 1 thread(s)' in out
    for what in ('training step', 'test forward'):
        line, = [x for x in out.splitlines() if x.startswith(what)]
        a, b, ratio = map(float, re.findall(r'(\d+\.\d+)', line))
        assert a > 0 and b > 0 and abs(ratio - a / b) < 0.02


def test_refuses_a_config_without_enhancer():
    out = run_tool(
        'tools/analysis_tools/train_step_speed.py',
        'configs/synthetic/deeplabv3plus_r18-tiny_1xb8-20k_synthetic-day-64x128.py',  # noqa: E501
        ok=False)
    assert 'is not mmllie.GlobalPixelwiseEnhancer' in out
