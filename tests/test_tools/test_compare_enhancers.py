"""tools/analysis_tools/compare_enhancers.py on the synthetic city at two
darkness levels, in front of the shipped day recognizer."""
import json
import math
import os.path as osp
import runpy
from functools import partial

import pytest
import torch
from mmengine.runner import save_checkpoint

from mmllie.datasets import generate_synthetic_city
from mmllie.datasets.nightcity_convert import convert_nightcity_labels
from mmllie.models.enhancers import GPLLIE
from mmllie.testing.inference import DAY_RECOGNIZER
from mmllie.testing.tools import CHECKOUT as REPO
from mmllie.testing.tools import run_tool

pytestmark = pytest.mark.slow

TOOL = osp.join(REPO, 'tools', 'analysis_tools', 'compare_enhancers.py')
CONFIG = osp.join(
    REPO, 'configs', 'synthetic', 'gpllie_deeplabv3plus-r18-tiny_1xb8-300_'
    'synthetic-night-64x128.py')

run_compare = partial(
    run_tool, 'tools/analysis_tools/compare_enhancers.py', in_process=True)


def test_compare_enhancers(tmp_path):
    roots = {}
    for level in ('normal', 'hard'):
        roots[level] = str(tmp_path / level)
        generate_synthetic_city(
            roots[level],
            0,
            3, (64, 128),
            night_level=level,
            show_progress=False)
        convert_nightcity_labels(
            osp.join(roots[level], 'NightCity-label', 'label'))
    torch.manual_seed(0)
    gpllie = GPLLIE()
    for p in gpllie.parameters():
        if not p.any():
            p.data.normal_(0, 0.05)
    only = str(tmp_path / 'gpllie.pth')  # enhancer-only
    save_checkpoint(
        dict(
            state_dict=gpllie.state_dict(),
            meta=dict(enhancer_cfg=dict(type='GPLLIE'))), only)
    full = str(tmp_path / 'iter_300.pth')  # a full training checkpoint
    recog = torch.load(DAY_RECOGNIZER, map_location='cpu')['state_dict']
    state = dict(
        recog, **{
            'data_preprocessor.enhancer.' + k: v
            for k, v in GPLLIE().state_dict().items()
        })
    save_checkpoint(dict(state_dict=state), full)
    out = tmp_path / 'report'
    args = [
        CONFIG, only, full, '--recognizer', DAY_RECOGNIZER, '--out-dir', out,
        '--examples', 2
    ]
    for level, root in roots.items():
        args += [
            '--subset', level, f'test_dataloader.dataset.data_root={root}'
        ]
    run_compare(*args)
    report = json.loads((out / 'report.json').read_text())
    results = report['results']
    assert list(results) == [
        'no enhancer', 'fixed gain 4, gamma 2.2', 'gpllie', 'iter_300'
    ]
    miou = {n: {s: r[s]['mIoU'] for s in roots} for n, r in results.items()}
    for per_level in miou.values():
        assert all(0 <= v <= 100 and math.isfinite(v)
                   for v in per_level.values())
    # the day recognizer is hurt by the dark: brightening changes mIoU
    assert miou['no enhancer'] != miou['fixed gain 4, gamma 2.2']
    assert miou['no enhancer']['normal'] != miou['no enhancer']['hard']
    assert set(report['gem_gains']) == {'gpllie', 'iter_300'}
    assert len(report['gem_gains']['gpllie']) == 3  # images of 1st subset
    md = (out / 'report.md').read_text()
    assert '| no enhancer |' in md and 'normal mIoU' in md
    for name in ('gains.png', 'examples.png'):
        assert (out / name).stat().st_size > 1000
    with pytest.raises(FileExistsError, match='--overwrite'):
        run_compare(*args)


def test_subset_values_parse_as_cfg_options():
    tool = runpy.run_path(TOOL)
    subsets = tool['parse_subsets']([[
        'hard', 'test_dataloader.batch_size=2',
        'test_dataloader.dataset.data_root=data/night-hard',
        'test_evaluator.iou_metrics=[mIoU,mDice]', 'model.x=None',
        'model.flag=True', 'model.lr=5e-4'
    ]])
    assert subsets == dict(
        hard={
            'test_dataloader.batch_size': 2,
            'test_dataloader.dataset.data_root': 'data/night-hard',
            'test_evaluator.iou_metrics': ['mIoU', 'mDice'],
            'model.x': None,
            'model.flag': True,
            'model.lr': 5e-4
        })
