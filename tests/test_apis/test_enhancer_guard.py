"""The guard's report: means and per-image wins and losses on known
scores; selection refused when the validation set is the test set."""
import json
from types import SimpleNamespace

from mmengine.config import Config

from mmllie.apis.enhancer_guard import write_guard_report
from mmllie.engine.hooks import EnhancerGuardHook


def _scores(values):
    return [dict(img_path=f'{i}.png', score=v) for i, v in enumerate(values)]


def test_per_image_counts_on_known_scores(tmp_path):
    results = dict(
        metrics={
            'no enhancer': dict(mIoU=50.),
            'starting state': dict(mIoU=50.),
            'trained': dict(mIoU=48.),
        },
        per_image={
            'no enhancer': _scores([40, 50, 60, float('nan')]),
            'starting state': _scores([40, 50, 60, 10]),
            'trained': _scores([45, 30, 60, 20]),
        })
    report = write_guard_report(results, str(tmp_path))
    assert report['worse_than_no_enhancer'] and report['worse_than_start']
    counts = report['per_image']['counts']
    # nan (every pixel ignored) counts on neither side
    assert counts['trained vs no enhancer'] == dict(worse=1, better=1, total=3)
    assert counts['trained vs starting state'] == dict(
        worse=1, better=2, total=4)
    assert counts['starting state vs no enhancer'] == dict(
        worse=0, better=0, total=3)
    with open(tmp_path / 'enhancer_guard.json') as f:
        assert json.load(f)['per_image']['counts'] == counts


def test_no_choice_on_the_test_split():
    loader = dict(dataset=dict(type='X', data_root='d', pipeline=[]))
    runner = SimpleNamespace(
        cfg=Config(
            dict(
                val_dataloader=loader,
                test_dataloader=dict(
                    loader, dataset=dict(loader['dataset'], pipeline=[1])))))
    why = EnhancerGuardHook()._why_not_select(runner)
    assert 'validation dataset is the test dataset' in why
    runner.cfg.test_dataloader.dataset.data_root = 'other'
    assert EnhancerGuardHook()._why_not_select(runner) is None
    assert EnhancerGuardHook(keep_better=False)._why_not_select(runner) \
        == 'keep_better=False'
