"""The real-frames benchmark: its configs, its table and one tiny run."""
import json
import os.path as osp

import pytest
import torch

from mmllie.benchmarks.real_night import (collect, real_cfg,
                                          run_real_night_benchmark)
from mmllie.benchmarks.real_night_report import real_results_table
from mmllie.models.adapters import build_network
from mmllie.testing.cityscapes import make_cityscapes

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = osp.join(REPO, 'projects', 'espnetv2_cityscapes', 'configs')
LABELLED = osp.join(
    CONFIGS,
    'gpllie-darkened_espnetv2-s2.0_1xb2-300_cityscapes-day2night-1024x512.py')
LABEL_FREE = osp.join(
    CONFIGS,
    'gpllie-label-free_espnetv2-s2.0_1xb2-300_cityscapes-day2night-1024x512.py'
)
NETWORK = osp.join(REPO, 'projects', 'espnetv2_cityscapes', 'espnetv2',
                   'espnetv2.py') + ':ESPNetv2Segmentation'


def _darkening(pipeline):
    return [t for t in pipeline if t['type'] == 'mmllie.LowLightSynthesis']


def test_real_cfg_sets_the_level_everywhere(tmp_path):
    cfg = real_cfg(LABELLED, str(tmp_path), '/data/cs', 'hard')
    test = _darkening(cfg.test_dataloader.dataset.pipeline)
    assert [(t['level'], t['seed']) for t in test] == [('hard', 123)]
    assert [
        t['level'] for t in _darkening(cfg.train_dataloader.dataset.pipeline)
    ] == ['hard']
    assert cfg.test_dataloader.dataset.data_root == '/data/cs'
    assert cfg.train_dataloader.dataset.data_root == '/data/cs'
    assert cfg.test_evaluator.type == 'mmllie.PerImageIoUMetric'
    free = real_cfg(LABEL_FREE, str(tmp_path), '/data/cs', 'hard')
    assert free.model.darkening.level == 'hard'
    day = real_cfg(LABELLED, str(tmp_path), '/data/cs', None)
    assert _darkening(day.test_dataloader.dataset.pipeline) == []


def test_real_cfg_merges_enhancer_options_into_both_recipes(tmp_path):
    options = {'use_pam': False, 'smoothing.prior_index': 1}
    labelled = real_cfg(LABELLED, str(tmp_path), 'cs', 'normal', options)
    free = real_cfg(LABEL_FREE, str(tmp_path), 'cs', 'normal', options)
    for enhancer in (labelled.model.data_preprocessor.enhancer,
                     free.model.recognizer.data_preprocessor.enhancer):
        assert enhancer.use_pam is False
        assert enhancer.smoothing.prior_index == 1
        assert enhancer.type == 'GPLLIE'
    base = osp.join(
        CONFIGS, 'no-enhancer_espnetv2-s2.0_cityscapes-night-'
        '1024x512.py')
    with pytest.raises(ValueError, match='expected an enhancer config'):
        real_cfg(base, str(tmp_path), 'cs', 'normal', options)


def test_real_cfg_needs_one_darkening_in_the_test_pipeline(tmp_path):
    base = osp.join(CONFIGS, 'espnetv2-s2.0_cityscapes-1024x512.py')
    with pytest.raises(ValueError, match='expected one mmllie.LowLight'):
        real_cfg(base, str(tmp_path), '/data/cs', 'normal')


def _images(*values):
    return [dict(img_path=f'f{i}.png', mIoU=v) for i, v in enumerate(values)]


def test_collect_counts_frames_made_worse():
    baseline = dict(
        day=dict(mIoU=50., per_image=_images(50., 50.)),
        levels=dict(normal=dict(mIoU=20., per_image=_images(10., 30.))))
    rows = {
        'labelled_normal':
        dict(
            start=dict(mIoU=20., per_image=_images(10., 30.)),
            trained=dict(mIoU=35., per_image=_images(40., 29.))),
        'label-free_normal':
        dict(trained=dict(mIoU=14., per_image=_images(9., 19.)))
    }
    out = collect(baseline, rows, ['normal'], 300, 0, 'root', 'a.py', 'b.py',
                  'r.pth')
    entry = out['levels']['normal']['rows']
    assert (entry['labelled']['worse'], entry['labelled']['total']) == (1, 2)
    assert entry['labelled']['recovered'] == pytest.approx(0.5)
    assert entry['label-free']['worse'] == 2
    assert entry['start']['worse'] == 0
    table = real_results_table(out)
    assert '| normal | 50.00 | 20.00 |' in table
    assert '35.00, +50 %, worse on 1/2' in table
    assert '14.00, -20 %, worse on 2/2' in table


@pytest.mark.slow
def test_tiny_real_run(monkeypatch, tmp_path):
    """Both recipes, one level, 2 iterations, random ESPNetv2 weights."""
    monkeypatch.chdir(REPO)  # the configs name the network file from here
    root = make_cityscapes(str(tmp_path / 'cityscapes'))
    net = build_network(NETWORK, dict(s=2.0, classes=20))
    ckpt = str(tmp_path / 'espnetv2.pth')
    torch.save(
        dict(state_dict={
            f'backbone.network.{k}': v
            for k, v in net.state_dict().items()
        }), ckpt)
    work_dir = str(tmp_path / 'real')
    results = run_real_night_benchmark(
        work_dir,
        root,
        LABELLED,
        LABEL_FREE,
        ckpt,
        levels=('normal', ),
        iters=2,
        workers=1)
    rows = results['levels']['normal']['rows']
    assert set(rows) == {'start', 'labelled', 'label-free'}
    for row in rows.values():
        assert row['total'] == 2 and len(row['per_image']) == 2
    with open(osp.join(work_dir, 'results.json')) as f:
        assert json.load(f)['levels']['normal']['night']['mIoU'] == \
            results['levels']['normal']['night']['mIoU']
    with open(osp.join(work_dir, 'results.md')) as f:
        assert f.read().startswith('| level | day | no enhancer |')
    for recipe in ('labelled', 'label-free'):
        assert osp.isfile(
            osp.join(work_dir, f'{recipe}_normal_seed0', 'iter_2.pth'))
