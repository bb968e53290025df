"""The guard acts: a run made to diverge on purpose keeps the enhancer's
starting state, or no enhancer when the start is worse too (chosen on the
validation split, never on the test split), and reports per image where
each state wins and loses."""
import json
import os.path as osp
import re

import pytest
import torch

from mmllie.datasets import generate_synthetic_city
from mmllie.datasets.nightcity_convert import convert_nightcity_labels
from mmllie.testing.tiny_night_run import DAY, TinyNightRun
from mmllie.testing.tools import ENHANCER, checkpoint_state

pytestmark = pytest.mark.slow

# generated night scenes; validation on the training split's scenes, test
# on the val split: the choice never sees a test image
CONFIG = """\
_base_ = 'mmllie::synthetic/gpllie_deeplabv3plus-r18-tiny_1xb8-300_synthetic-night-64x128.py'
train_dataloader = dict(batch_size=2, dataset=dict(data_root={root!r}))
val_dataloader = dict(
    batch_size=1,
    dataset=dict(
        data_root={root!r},
        data_prefix=dict(
            img_path='NightCity-images/images/train',
            seg_map_path='NightCity-label/label/train')))
test_dataloader = dict(batch_size=1, dataset=dict(data_root={root!r}))
train_cfg = dict(max_iters=3, val_interval=1000)
default_hooks = dict(checkpoint=dict(interval=1000), logger=dict(interval=1))
load_from = {day!r}
randomness = dict(seed=0)
# gradient ascent: training makes the recognizer's loss larger on purpose
optim_wrapper = dict(optimizer=dict(lr=0.05, maximize=True))
custom_hooks = [
    dict(type='mmllie.FreezeRecognizerHook'),
    dict(type='mmllie.EnhancerGuardHook'),
]
"""  # noqa: E501


@pytest.fixture(scope='module')
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('guard_keeps')
    run = TinyNightRun(tmp, iters=3)  # its tools runner, other data
    root = str(tmp / 'night')
    generate_synthetic_city(
        root,
        num_train=4,
        num_val=2,
        img_size=(64, 128),
        night_level='normal',
        show_progress=False)
    convert_nightcity_labels(osp.join(root, 'NightCity-label', 'label'))
    with open(run.config, 'w') as f:
        f.write(CONFIG.format(root=root, day=DAY))
    return run


def test_diverged_run_keeps_the_starting_state(run):
    work = osp.join(run.base, 'work')
    log = run.train(work)
    with open(osp.join(work, 'enhancer_guard.json')) as f:
        guard = json.load(f)
    values = guard['values']
    assert values['trained'] < values['starting state'], values
    assert 'the run keeps the starting state' in log
    final = osp.join(work, 'iter_3.pth')
    trained = osp.join(work, 'iter_3_trained.pth')
    with open(osp.join(work, 'last_checkpoint')) as f:
        assert f.read().strip() == final
    start = torch.load(osp.join(work, 'enhancer_start.pth'))
    kept, bad = checkpoint_state(final, ENHANCER), checkpoint_state(
        trained, ENHANCER)
    assert all(torch.equal(kept[ENHANCER + k], v) for k, v in start.items())
    assert not all(torch.equal(bad[ENHANCER + k], v) for k, v in start.items())
    meta = torch.load(final, map_location='cpu')['meta']
    assert meta['enhancer_guard']['kept'] == 'starting state'
    # per image: the 4 validation images, each state against the others
    counts = guard['per_image']['counts']
    pair = counts['trained vs starting state']
    assert pair['total'] == 4 and pair['worse'] >= 1
    assert pair['worse'] + pair['better'] <= 4
    scores = guard['per_image']['scores']
    assert sorted(scores) == sorted(values)
    assert all(len(s) == 4 for s in scores.values())
    assert all('/train/' in r['img_path'] for r in scores['trained'])
    # tools/test.py --guard on the test split: reports per image and keeps
    # the checkpoint as it is
    out = run.test(final, '--guard')
    assert 'EnhancerGuard per image: trained vs no enhancer:' in out
    report = osp.join(run.base, 'test_work', 'enhancer_guard.json')
    with open(report) as f:
        test_counts = json.load(f)['per_image']['counts']
    assert test_counts['trained vs no enhancer']['total'] == 2
    assert torch.equal(
        checkpoint_state(final, ENHANCER)[ENHANCER + 'gem.head.weight'],
        kept[ENHANCER + 'gem.head.weight'])


# the few-frames recipe's enhancer: it starts blurring noisy frames, which
# this day recognizer reads worse than the frames themselves
NO_ENHANCER = """\
model = dict(data_preprocessor=dict(enhancer=dict(
    _delete_=True, type='GPLLIE', use_gem=False, use_pam=False,
    smoothing=dict(prior_index=2))))
"""


def test_run_worse_than_no_enhancer_keeps_no_enhancer(run):
    config = run.config.replace('.py', '_smoothing.py')
    with open(run.config) as f, open(config, 'w') as out:
        out.write(f.read() + NO_ENHANCER)
    work = osp.join(run.base, 'work_smoothing')
    log = run.run('train.py', config, '--work-dir', work)
    with open(osp.join(work, 'enhancer_guard.json')) as f:
        values = json.load(f)['values']
    assert values['starting state'] < values['no enhancer'], values
    assert values['trained'] < values['no enhancer'], values
    assert 'the run keeps no enhancer' in log
    final = osp.join(work, 'iter_3.pth')
    meta = torch.load(final, map_location='cpu')['meta']
    assert meta['enhancer_guard']['kept'] == 'no enhancer'
    state = checkpoint_state(final)
    assert state['data_preprocessor.enhancer_off'].item() is True
    assert not checkpoint_state(osp.join(
        work, 'iter_3_trained.pth'))['data_preprocessor.enhancer_off']
    # the kept checkpoint tests as the recognizer alone: on the test split,
    # its mIoU is no enhancer's
    test_work = osp.join(run.base, 'test_work_smoothing')
    out = run.run('test.py', config, final, '--work-dir', test_work, '--guard')
    with open(osp.join(test_work, 'enhancer_guard.json')) as f:
        test_values = json.load(f)['values']
    tested = float(re.findall(r'mIoU: ([0-9.]+)', out)[0])
    assert tested == pytest.approx(test_values['no enhancer'], abs=0.01)
    assert test_values['starting state'] != test_values['no enhancer']
