"""tools/train.py refuses a load_from that is not the recognizer's (unless
--partial-load) and honours joint training (train_recognizer=True) with one
warning naming how many recognizer parameters train."""
import os.path as osp
from pathlib import Path

import pytest
import torch

from mmllie.testing.hosts import recognizer_checkpoint
from mmllie.testing.tiny_night_run import DAY, TinyNightRun
from mmllie.testing.tools import ENHANCER, checkpoint_state

pytestmark = pytest.mark.slow


@pytest.fixture(scope='module')
def run(tmp_path_factory):
    return TinyNightRun(tmp_path_factory.mktemp('weights'), iters=1)


def test_load_from_of_another_model(run):
    other, _ = recognizer_checkpoint('mmpretrain', Path(run.base))
    work = osp.join(run.base, 'other')
    log = run.train(work, '--cfg-options', f'load_from={other}', ok=False)
    assert f"load_from='{other}' does not fit the recognizer" in log
    assert 'missing' in log and 'unexpected' in log
    assert '--partial-load' in log
    assert not osp.exists(osp.join(work, 'iter_1.pth'))
    log = run.train(work, '--cfg-options', f'load_from={other}',
                    '--partial-load')
    assert 'partial_load=True: training anyway' in log
    assert osp.isfile(osp.join(work, 'iter_1.pth'))


def test_joint_training_is_honoured(run):
    work = osp.join(run.base, 'joint')
    log = run.train(work, '--cfg-options',
                    'model.data_preprocessor.train_recognizer=True')
    assert log.count('will be TRAINED together with the enhancer') == 1
    assert 'frozen recognizer parameters' not in log
    day = torch.load(DAY, map_location='cpu')['state_dict']
    after = checkpoint_state(osp.join(work, 'iter_1.pth'))
    changed = [
        k for k, v in day.items() if not k.startswith(ENHANCER) and k in after
        and v.is_floating_point() and not torch.equal(after[k], v)
    ]
    assert changed  # the recognizer trained
