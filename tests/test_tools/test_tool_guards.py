"""tools/test.py and tools/train.py refuse what would mix or lose results
or give a meaningless number; a model without enhancer tests and
visualises cleanly and refuses to train."""
import os
import os.path as osp
import re
from pathlib import Path

import pytest

from mmllie.testing.hosts import recognizer_checkpoint
from mmllie.testing.tiny_night_run import DAY, TinyNightRun

pytestmark = pytest.mark.slow

METRIC = re.compile(r'Iter\(test\).*mIoU: [\d.]+')
NO_ENHANCER = ['--cfg-options', 'model.data_preprocessor.enhancer=None']


@pytest.fixture(scope='module')
def run(tmp_path_factory):
    return TinyNightRun(tmp_path_factory.mktemp('guards'), iters=1)


def _snapshot(path):
    return {
        osp.join(d, n): os.stat(osp.join(d, n)).st_mtime_ns
        for d, _, names in os.walk(path)
        for n in names
    }


def test_no_enhancer_tests_and_visualises_then_show_dir_is_kept(run):
    show = osp.join(run.base, 'show')
    log = run.test(DAY, '--show-dir', show, *NO_ENHANCER)
    assert METRIC.search(log) and 'no enhanced images are written' in log
    preds = os.listdir(osp.join(show, 'vis_data', 'vis_image'))
    assert len(preds) == 2 and not osp.exists(osp.join(show, 'enhanced'))
    # the same --show-dir again: refused before anything is written
    before = _snapshot(show)
    log = run.test(DAY, '--show-dir', show, *NO_ENHANCER, ok=False)
    assert f'--show-dir {show} exists and is not empty' in log
    assert _snapshot(show) == before


def test_checkpoint_of_another_model_is_refused(run):
    other, _ = recognizer_checkpoint('mmpretrain', Path(run.base))
    log = run.test(other, ok=False)
    assert f'{other} does not match the model of this config' in log
    assert 'missing' in log and 'unexpected' in log
    assert '--partial-load' in log and not METRIC.search(log)
    log = run.test(other, '--partial-load')
    assert METRIC.search(log)


def test_no_enhancer_refuses_to_train(run):
    log = run.train(osp.join(run.base, 'w_none'), *NO_ENHANCER, ok=False)
    assert 'no enhancer (enhancer=None)' in log
    assert 'train_recognizer=True' in log
    assert not osp.exists(osp.join(run.base, 'w_none', 'iter_1.pth'))


def test_load_from_that_is_no_checkpoint_is_named(run):
    notes = osp.join(run.base, 'notes.csv')
    with open(notes, 'w') as f:
        f.write('0,1,2\n')  # a pickle POP: "pop from empty list" before
    log = run.train(
        osp.join(run.base, 'w_csv'),
        '--cfg-options',
        f'load_from={notes}',
        ok=False)
    assert f"load_from='{notes}': not a PyTorch checkpoint" in log
