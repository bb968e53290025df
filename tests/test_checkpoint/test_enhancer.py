import os.path as osp
import pickle

import pytest
import torch

from mmllie.apis import export_enhancer, load_enhancer
from mmllie.models import get_enhancer
from mmllie.testing.hosts import build_runner, recognizer_checkpoint
from mmllie.testing.tools import run_tool


class Evil:

    def __reduce__(self):
        return (print, ('pwned', ))


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('ckpt')
    ckpt, _ = recognizer_checkpoint('mmseg', tmp)
    runner = build_runner(
        'mmseg',
        tmp / 'run',
        max_iters=2,
        load_from=ckpt,
        default_hooks=dict(
            checkpoint=dict(type='CheckpointHook', interval=2,
                            by_epoch=False)))
    runner.train()
    return runner, str(tmp / 'run' / 'iter_2.pth')


def test_export_and_load_into_fresh_enhancer(trained, tmp_path):
    runner, ckpt = trained
    out = str(tmp_path / 'enhancer.pth')
    export_enhancer(ckpt, out)
    assert osp.getsize(out) < 3 * 2**20  # ~2.3 MB
    enhancer = load_enhancer(out)
    trained_enhancer = get_enhancer(runner.model).eval()
    x = torch.rand(1, 3, 29, 41) * 0.1
    with torch.no_grad():
        torch.testing.assert_close(enhancer(x), trained_enhancer(x))
    with pytest.raises(FileExistsError, match='enhancer.pth exists'):
        export_enhancer(ckpt, out)
    with pytest.raises(KeyError, match='does not match'):
        load_enhancer(out, cfg=dict(type='GPLLIE', use_pam=False))


@pytest.mark.slow
def test_export_tool_cli(trained, tmp_path):
    _, ckpt = trained
    out = str(tmp_path / 'e.pth')
    log = run_tool('tools/model_converters/export_enhancer.py', ckpt, out)
    # 577,963 parameters + BN running statistics
    assert '95 tensors, 579,055 values' in log


def test_export_needs_an_enhancer(tmp_path):
    ckpt, _ = recognizer_checkpoint('mmseg', tmp_path)
    with pytest.raises(KeyError, match='data_preprocessor.enhancer'):
        export_enhancer(ckpt, str(tmp_path / 'x.pth'))


def test_weights_only_protection_kept(trained, tmp_path):
    _, ckpt = trained
    # an mmengine training checkpoint (HistoryBuffer, numpy) loads with the
    # default weights_only=True ...
    state = torch.load(ckpt, map_location='cpu')
    assert 'message_hub' in state and 'optimizer' in state
    # ... while an arbitrary pickle is still refused
    evil = str(tmp_path / 'evil.pth')
    torch.save({'x': Evil()}, evil, pickle_protocol=pickle.HIGHEST_PROTOCOL)
    with pytest.raises(pickle.UnpicklingError):
        torch.load(evil)


def test_resume(trained, tmp_path):
    _, ckpt = trained
    runner = build_runner(
        'mmseg', tmp_path, max_iters=3, resume=True, load_from=ckpt)
    runner.train()
    assert runner.iter == 3
