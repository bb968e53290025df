"""GEM + PAM, Zero-DCE and IALM compared through tools/train.py and
tools/test.py on generated data, one config line apart.

A tiny darkened synthetic city (NightCity layout) and an untrained tiny
day DeepLabV3+ checkpoint are made once; each enhancer is then trained for
3 iterations in front of that frozen recognizer by its task loss, and
Zero-DCE also by its own zero-reference losses (no labels), exported and
tested in front of the same recognizer; the ExLPose recipe of the latter
trains on a tiny ExLPose tree too. The nine tool runs go in two parallel
waves of single-threaded subprocesses.
"""
import math
import os
import os.path as osp
import re
import subprocess
import sys

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import save_checkpoint

from mmllie.apis import export_enhancer, load_enhancer
from mmllie.datasets import generate_synthetic_city
from mmllie.datasets.nightcity_convert import convert_nightcity_labels
from mmllie.testing.exlpose import make_exlpose
from mmllie.testing.tools import recognizer_part

pytestmark = pytest.mark.slow

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SYN = osp.join(REPO, 'configs', 'synthetic')
DAY_CFG = osp.join(SYN,
                   'deeplabv3plus_r18-tiny_1xb8-20k_synthetic-day-64x128.py')
NIGHT = '{}_deeplabv3plus-r18-tiny_1xb8-300_synthetic-night-64x128.py'
TASK_LOSS = dict(GPLLIE='gpllie', ZeroDCE='zero-dce', IALM='ialm')
UNSUP_TRAIN = osp.join(
    SYN, 'zero-dce_zero-reference_1xb8-300_synthetic-night-64x128.py')
UNSUP_TEST = osp.join(
    SYN, 'zero-dce-unsupervised_deeplabv3plus-r18-tiny_'
    'synthetic-night-64x128.py')
UNSUP_EXLPOSE = osp.join(
    REPO, 'configs', 'pose',
    'zero-dce_zero-reference_1xb8-75k_exlpose-256x192.py')
UNSUP = ('unsupervised', 'unsupervised-exlpose')
PARAMS = dict(GPLLIE=577_963, ZeroDCE=79_416, IALM=492_099)
ITERS = 3
PREFIX = 'data_preprocessor.enhancer.'


def _tool(script: str, config: str, work_dir: str, *args: str,
          options=()) -> list:
    """The command line of ``tools/<script>`` with ``--cfg-options``."""
    return [
        sys.executable,
        osp.join(REPO, 'tools', script), config, *args, '--work-dir', work_dir,
        '--cfg-options', *options
    ]


def _run_all(cmds: dict) -> dict:
    """Run the commands in parallel, one thread each; name → output."""
    env = dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1')
    procs = {
        name:
        subprocess.Popen(
            cmd,
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True)
        for name, cmd in cmds.items()
    }
    outs = {}
    for name, proc in procs.items():
        out, _ = proc.communicate(timeout=600)
        outs[name] = (proc.returncode, out)
    return outs


def _state(path: str) -> dict:
    return torch.load(path, map_location='cpu')['state_dict']


def _make_data(tmp) -> tuple:
    """Darkened synthetic city, untrained day recognizer, tiny ExLPose."""
    root = str(tmp / 'night')
    generate_synthetic_city(
        root,
        num_train=8,
        num_val=4,
        img_size=(64, 128),
        night_level='hard',
        show_progress=False)
    convert_nightcity_labels(osp.join(root, 'NightCity-label', 'label'))
    day = str(tmp / 'day_recognizer.pth')
    init_default_scope('mmseg')
    from mmseg.registry import MODELS
    recognizer = MODELS.build(Config.fromfile(DAY_CFG).model)
    recognizer.init_weights()
    save_checkpoint({'state_dict': recognizer.state_dict()}, day)
    make_exlpose(str(tmp / 'exlpose'))
    return root, day, str(tmp / 'exlpose')


@pytest.fixture(scope='module')
def comparison(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('baselines')
    root, day, exlpose = _make_data(tmp)
    loaders = ('train_dataloader', 'val_dataloader', 'test_dataloader')
    data = [f'{loader}.dataset.data_root={root}' for loader in loaders]
    train_opts = [
        f'train_cfg.max_iters={ITERS}', 'default_hooks.checkpoint.interval=1',
        'default_hooks.logger.interval=1'
    ]
    no_val = ['val_cfg=None', 'val_dataloader=None', 'val_evaluator=None']
    work = {name: str(tmp / name) for name in [*TASK_LOSS, *UNSUP]}
    last = {name: osp.join(w, f'iter_{ITERS}.pth') for name, w in work.items()}
    configs = {
        name: osp.join(SYN, NIGHT.format(prefix))
        for name, prefix in TASK_LOSS.items()
    }
    trains = {
        name:
        _tool(
            'train.py',
            configs[name],
            work[name],
            options=[f'load_from={day}', *data, *train_opts, *no_val])
        for name in TASK_LOSS
    }
    trains['unsupervised'] = _tool(
        'train.py',
        UNSUP_TRAIN,
        work['unsupervised'],
        options=[data[0], *train_opts])
    trains['unsupervised-exlpose'] = _tool(
        'train.py',
        UNSUP_EXLPOSE,
        work['unsupervised-exlpose'],
        options=[
            f'train_dataloader.dataset.data_root={exlpose}',
            'train_dataloader.batch_size=2', 'train_dataloader.num_workers=0',
            'train_dataloader.persistent_workers=False', *train_opts
        ])
    trained = _run_all(trains)

    tests = {
        name:
        _tool(
            'test.py',
            configs[name],
            work[name] + '_test',
            last[name],
            options=data)
        for name in TASK_LOSS if osp.isfile(last[name])
    }
    exported = str(tmp / 'zero_dce.pth')
    if osp.isfile(last['unsupervised']):
        export_enhancer(last['unsupervised'], exported)
        enhancer = 'model.data_preprocessor.enhancer.checkpoint=' + exported
        tests['unsupervised'] = _tool(
            'test.py',
            UNSUP_TEST,
            work['unsupervised'] + '_test',
            day,
            options=[*data, enhancer])
    return dict(
        day=day,
        work=work,
        last=last,
        exported=exported,
        trained=trained,
        tested=_run_all(tests))


def _miou(comparison: dict, name: str) -> float:
    code, out = comparison['tested'][name]
    assert code == 0, out[-3000:]
    found = re.findall(r'Iter\(test\).*?mIoU: (\S+)', out)
    assert found, out[-3000:]
    return float(found[-1])


@pytest.mark.parametrize('name', list(TASK_LOSS))
def test_task_loss_training_keeps_recognizer_frozen(comparison, name):
    code, out = comparison['trained'][name]
    assert code == 0, out[-3000:]
    assert (f'FreezeRecognizerHook: {PARAMS[name]:,} trainable enhancer '
            f'parameters ({name})') in out
    day = _state(comparison['day'])
    first = _state(osp.join(comparison['work'][name], 'iter_1.pth'))
    last = _state(comparison['last'][name])
    # recognizer weights and BN statistics bit-identical to the day model
    for key, value in day.items():
        assert torch.equal(last[key], value), key
    # every enhancer tensor moved between iteration 1 and the last one
    enhancer = [k for k in last if k.startswith(PREFIX)]
    assert enhancer and set(recognizer_part(last)) == set(day)
    assert all(not torch.equal(first[k], last[k]) for k in enhancer)


@pytest.mark.parametrize('name', [*TASK_LOSS, 'unsupervised'])
def test_tools_test_prints_finite_miou(comparison, name):
    miou = _miou(comparison, name)
    assert math.isfinite(miou) and 0 <= miou <= 100
    params = PARAMS.get(name, PARAMS['ZeroDCE'])
    assert (f'FreezeRecognizerHook: {params:,} trainable enhancer '
            'parameters') in comparison['tested'][name][1]


@pytest.mark.parametrize('name', UNSUP)
def test_zero_dce_trained_by_its_own_losses(comparison, name, tmp_path):
    code, out = comparison['trained'][name]
    assert code == 0, out[-3000:]
    line = re.findall(rf'Iter\(train\) \[{ITERS}/{ITERS}\].*', out)
    assert line, out[-3000:]
    terms = ('loss', 'loss_spa', 'loss_exp', 'loss_col', 'loss_tv')
    values = {t: re.search(rf' {t}: (\S+)', line[-1]) for t in terms}
    assert all(values.values()), line[-1]
    values = {t: float(v.group(1)) for t, v in values.items()}
    assert all(math.isfinite(v) and v >= 0 for v in values.values())
    assert values['loss_exp'] > 0  # dark images are far from E = 0.6
    # no recognizer and no labels: the checkpoint holds Zero-DCE only
    state = _state(comparison['last'][name])
    assert state and all(k.startswith('enhancer.') for k in state)
    first = _state(osp.join(comparison['work'][name], 'iter_1.pth'))
    assert all(not torch.equal(first[k], state[k]) for k in state)
    # its enhancer-only export loads into a fresh Zero-DCE
    exported = str(tmp_path / 'zero_dce.pth')
    export_enhancer(comparison['last'][name], exported)
    enhancer = load_enhancer(exported)
    assert type(enhancer).__name__ == 'ZeroDCE'
    assert sum(p.numel() for p in enhancer.parameters()) == PARAMS['ZeroDCE']
    for key, value in enhancer.state_dict().items():
        assert torch.equal(value, state['enhancer.' + key]), key
