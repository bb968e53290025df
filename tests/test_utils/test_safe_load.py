"""Checkpoints load without running code, on every supported torch."""
import io
import os
import pickle
from collections import OrderedDict

import numpy as np
import pytest
import torch
import torch.nn as nn
from mmengine.logging.history_buffer import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader, _load_checkpoint

from mmllie.utils import compat, safe_load
from mmllie.utils.safe_load import restricted_torch_load, safe_torch_load


class _Payload:
    """Unpickles as ``os.system(...)``: code a checkpoint must not run."""

    def __reduce__(self):
        return os.system, ('echo payload-ran', )


class _GetattrPickle:
    """Unpickles as ``getattr(obj, name)`` (what protocol 2 writes)."""

    def __init__(self, obj, name):
        self.obj, self.name = obj, name

    def __reduce__(self):
        return getattr, (self.obj, self.name)


def _saved(obj) -> io.BytesIO:
    f = io.BytesIO()
    torch.save(obj, f)
    f.seek(0)
    return f


def _runner_like_checkpoint() -> dict:
    """What an mmengine Runner checkpoint holds (mmpose's dataset_meta
    adds uint8 arrays)."""
    buf = HistoryBuffer()
    buf.update(1.5)
    buf.update(2.5)
    return dict(
        meta=dict(
            iter=300,
            seed=0,
            dataset_meta=dict(
                classes=('road', 'car'),
                colors=np.array([[0, 0, 255], [255, 0, 0]], np.uint8))),
        state_dict=OrderedDict(
            w=torch.arange(6.).reshape(2, 3),
            n=torch.tensor(3, dtype=torch.int64),
            h=torch.ones(2, dtype=torch.float16)),
        message_hub=dict(
            log_scalars={'train/loss': buf},
            runtime_info=dict(
                iter=np.int64(300),
                lr=np.float64(5e-4),
                flags=np.array([True, False]),
                keys={'a', 'b'})),
        param=nn.Parameter(torch.zeros(2)))


def test_restricted_load_reads_what_weights_only_reads():
    ckpt = _runner_like_checkpoint()
    out = restricted_torch_load(_saved(ckpt), map_location='cpu')
    ref = torch.load(_saved(ckpt), map_location='cpu', weights_only=True)
    for key, value in ref['state_dict'].items():
        assert torch.equal(out['state_dict'][key], value)
        assert out['state_dict'][key].dtype == value.dtype
    assert out['message_hub']['log_scalars']['train/loss'].mean() == 2.0
    info = out['message_hub']['runtime_info']
    assert info['iter'] == 300 and info['lr'] == 5e-4
    assert info['flags'].tolist() == [True, False]
    assert info['keys'] == {'a', 'b'}
    colors = out['meta']['dataset_meta']['colors']
    assert colors.dtype == np.uint8 and colors.tolist() == [[0, 0, 255],
                                                            [255, 0, 0]]
    assert isinstance(out['param'], nn.Parameter)


@pytest.mark.parametrize('load', [restricted_torch_load, safe_torch_load])
def test_code_in_a_checkpoint_is_refused_not_run(load, capfd):
    with pytest.raises(pickle.UnpicklingError, match='system'):
        load(_saved(dict(w=torch.ones(1), x=_Payload())))
    assert 'payload-ran' not in capfd.readouterr().out


@pytest.mark.parametrize('obj,name', [(np.ndarray, 'tofile'),
                                      (HistoryBuffer, 'update')])
def test_restricted_getattr_only_for_history_buffer_statistics(obj, name):
    with pytest.raises(pickle.UnpicklingError, match='getattr'):
        restricted_torch_load(_saved(dict(x=_GetattrPickle(obj, name))))
    out = restricted_torch_load(
        _saved(dict(x=_GetattrPickle(HistoryBuffer, 'mean'))))
    assert out['x'] is HistoryBuffer.mean


@pytest.mark.parametrize('obj', [print, eval, nn.Linear])
def test_restricted_refuses_other_globals(obj):
    with pytest.raises(pickle.UnpicklingError, match='refused'):
        restricted_torch_load(_saved(dict(x=obj)))


@pytest.fixture(params=['weights_only', 'restricted'])
def safe_loaders(request, monkeypatch):
    """mmengine's loaders replaced as on torch 2.4 - 2.5 (weights_only) or
    1.13 - 2.3 (the restricted unpickler), then restored."""
    if request.param == 'restricted':
        monkeypatch.setattr(safe_load, 'weights_only_supported', lambda: False)
    saved = dict(CheckpointLoader._schemes)
    assert compat.install_safe_checkpoint_loaders(force=True)
    yield
    CheckpointLoader._schemes.clear()
    CheckpointLoader._schemes.update(saved)


def test_installed_loaders_are_mmengine_s(safe_loaders):
    schemes = CheckpointLoader._schemes
    assert schemes[''] is compat._safe_load_from_local
    assert schemes['http://'] is schemes['https://'] \
        is compat._safe_load_from_http


def test_mmengine_local_load_refuses_code(safe_loaders, tmp_path, capfd):
    path = str(tmp_path / 'iter_1.pth')
    torch.save(dict(state_dict=dict(w=torch.ones(1)), x=_Payload()), path)
    with pytest.raises(pickle.UnpicklingError, match='system'):
        _load_checkpoint(path, map_location='cpu')
    assert 'payload-ran' not in capfd.readouterr().out
    torch.save(_runner_like_checkpoint(), path)
    out = _load_checkpoint(path, map_location='cpu')
    assert torch.equal(out['state_dict']['w'], torch.arange(6.).reshape(2, 3))
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        _load_checkpoint(str(tmp_path / 'missing.pth'))


def test_http_loader_downloads_once_then_loads_safely(safe_loaders, tmp_path):
    src = tmp_path / 'src' / 'weights.pth'
    src.parent.mkdir()
    torch.save(dict(state_dict=dict(w=torch.full((2, ), 7.))), str(src))
    cache = str(tmp_path / 'cache')
    url = src.as_uri()  # urllib reads file:// as it reads http(s)://
    out = compat._safe_load_from_http(url, 'cpu', model_dir=cache)
    assert out['state_dict']['w'].tolist() == [7., 7.]
    assert os.listdir(cache) == ['weights.pth']
    torch.save(dict(state_dict=dict(w=torch.zeros(2))), str(src))
    again = compat._safe_load_from_http(url, 'cpu', model_dir=cache)
    assert again['state_dict']['w'].tolist() == [7., 7.]  # the cached file
    torch.save(dict(x=_Payload()), os.path.join(cache, 'evil.pth'))
    with pytest.raises(pickle.UnpicklingError):
        compat._safe_load_from_http(
            (tmp_path / 'evil.pth').as_uri(), model_dir=cache)


def test_no_op_where_torch_refuses_code_by_default(monkeypatch):
    monkeypatch.setattr(compat, '_torch_loads_weights_only_by_default',
                        lambda: True)
    saved = dict(CheckpointLoader._schemes)
    assert compat.install_safe_checkpoint_loaders() is False
    assert CheckpointLoader._schemes == saved
