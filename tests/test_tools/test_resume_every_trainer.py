"""``tools/train.py --resume`` continues every trainer bit-identically: the
labelled recipe (also with exposure augmentation) and the label-free one,
whose random streams (on-the-fly darkening, exposure factors) draw new
numbers every step."""
import os
import os.path as osp
import shutil

import pytest
import torch

from mmllie.testing.tiny_night_run import TinyNightRun
from mmllie.testing.tools import ENHANCER, checkpoint_state

pytestmark = pytest.mark.slow

ITERS = 4

EXPOSURE = [
    '--cfg-options', 'model.data_preprocessor.exposure_augment=[0.5,2.0]'
]


@pytest.mark.parametrize(
    'label_free,options', [(False, []), (False, EXPOSURE), (True, [])],
    ids=['labelled', 'labelled-exposure-augment', 'label-free'])
def test_resume_is_bit_identical(tmp_path, label_free, options):
    run = TinyNightRun(tmp_path, iters=ITERS, label_free=label_free)
    reference = osp.join(run.base, 'reference')
    run.train(reference, *options)
    # a run stopped after iteration 2: its work dir as it was then
    stopped = osp.join(run.base, 'stopped')
    os.makedirs(stopped)
    for name in ('iter_1.pth', 'iter_2.pth', 'enhancer_start.pth'):
        if osp.exists(osp.join(reference, name)):
            shutil.copy(osp.join(reference, name), stopped)
    with open(osp.join(stopped, 'last_checkpoint'), 'w') as f:
        f.write(osp.join(stopped, 'iter_2.pth'))
    log = run.train(stopped, '--resume', *options)
    assert 'resumed epoch: 0, iter: 2' in log
    last = f'iter_{ITERS}.pth'
    got = checkpoint_state(osp.join(stopped, last), ENHANCER)
    want = checkpoint_state(osp.join(reference, last), ENHANCER)
    assert got.keys() == want.keys() and len(got) > 0
    differ = [k for k in got if not torch.equal(got[k], want[k])]
    assert not differ, f'{len(differ)} of {len(got)} enhancer tensors differ'
