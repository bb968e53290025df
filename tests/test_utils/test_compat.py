"""The import-time fixes: each works where needed and does no more."""
import io
import pickle
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmengine.logging.history_buffer import HistoryBuffer

from mmllie.utils import compat


def test_fresh_process_loads_runner_checkpoint(tmp_path):
    """A Runner checkpoint loads where no HistoryBuffer was made yet."""
    buf = HistoryBuffer()
    buf.update(1.5)
    torch.save(
        dict(message_hub=dict(log_scalars=dict(loss=buf))),
        str(tmp_path / 'ckpt.pth'))
    out = _run('import mmllie, torch\n'
               f'ckpt = torch.load({str(tmp_path / "ckpt.pth")!r})\n'
               'print(ckpt["message_hub"]["log_scalars"]["loss"].mean())\n')
    assert out.strip() == '1.5'


def test_checkpoint_globals_load_a_message_hub():
    """What an mmengine checkpoint holds loads with weights_only=True."""
    buf = HistoryBuffer()
    buf.update(1.5)
    state = dict(
        buffer=buf,
        arr=np.arange(3, dtype=np.uint8),
        scalar=np.float64(2.5),
        weight=torch.ones(2))
    f = io.BytesIO()
    torch.save(state, f)
    f.seek(0)
    out = torch.load(f, weights_only=True)
    assert out['buffer'].mean() == 1.5
    assert out['scalar'] == 2.5 and out['arr'].tolist() == [0, 1, 2]


class _GetattrPickle:
    """Unpickles as ``getattr(obj, name)`` (what protocol 2 writes)."""

    def __init__(self, obj, name):
        self.obj, self.name = obj, name

    def __reduce__(self):
        return getattr, (self.obj, self.name)


@pytest.mark.parametrize('obj,name', [(np.ndarray, 'tofile'),
                                      (HistoryBuffer, '__init__'),
                                      (HistoryBuffer, 'update')])
def test_getattr_only_for_history_buffer_statistics(obj, name):
    f = io.BytesIO()
    torch.save(dict(x=_GetattrPickle(obj, name)), f)
    f.seek(0)
    with pytest.raises(pickle.UnpicklingError, match='getattr'):
        torch.load(f, weights_only=True)
    f = io.BytesIO()
    torch.save(dict(x=_GetattrPickle(HistoryBuffer, 'mean')), f)
    f.seek(0)
    assert torch.load(f, weights_only=True)['x'] is HistoryBuffer.mean


def test_unknown_globals_still_refused():
    f = io.BytesIO()
    torch.save(dict(x=print), f)
    f.seek(0)
    with pytest.raises(pickle.UnpicklingError):
        torch.load(f, weights_only=True)


def _run(code: str) -> str:
    return subprocess.run([sys.executable, '-c', code],
                          capture_output=True,
                          text=True,
                          check=True).stdout


def test_mmcv_ext_placeholder():
    """mmcv-lite: mmcv.ops imports, a compiled op says what is missing.

    ``nms`` is provided in plain PyTorch (one-stage detectors run on
    mmcv-lite), so the missing op checked is ``roi_align_forward``.
    """
    out = _run('import importlib.util, sys\n'
               'full = importlib.util.find_spec("mmcv._ext") is not None\n'
               'import mmllie, mmcv.ops\n'
               'from mmengine.utils.dl_utils import mmcv_full_available\n'
               'print(full, mmcv_full_available())\n'
               'if not full:\n'
               '    try:\n'
               '        sys.modules["mmcv._ext"].roi_align_forward()\n'
               '    except RuntimeError as e:\n'
               '        print(e)\n')
    full, available = out.split()[:2]
    assert full == available  # never claims the full mmcv
    if full == 'False':
        assert 'mmcv compiled op "roi_align_forward" is not available' in out


def test_torchvision_nms():
    """torchvision imports; where its _C does not load, nms is ours."""
    out = _run(
        'import mmllie, torch, torchvision\n'
        'from mmllie.utils import compat\n'
        'b = torch.tensor([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30.]'
        '])\n'
        's = torch.tensor([0.9, 0.8, 0.7])\n'
        'print(compat._TV_LIBRARY is not None,'
        ' torchvision.ops.nms(b, s, 0.5).tolist())\n')
    patched, keep = out.split(' ', 1)
    assert keep.strip() == '[0, 2]'
    # patched only where torchvision's compiled ops do not load
    assert patched == str(not compat._torchvision_c_loads())


def _fail_probe():
    raise AssertionError('torchvision/_C was loaded to decide')


@pytest.mark.parametrize(
    'cuda,tv_tag,needed',
    [
        ('12.1', 'cu121', False),  # full CUDA stack: nothing changes
        ('12.1', 'cpu', False),
        (None, 'cu130', True),  # CPU torch, CUDA torchvision: ours
        (None, 'cpu', False),
        (None, None, False),  # no torchvision
    ])
def test_torchvision_decision_loads_nothing(monkeypatch, cuda, tv_tag, needed):
    monkeypatch.setattr(torch.version, 'cuda', cuda)
    monkeypatch.setattr(compat, '_local_tag', lambda package: tv_tag)
    monkeypatch.setattr(compat, '_torchvision_c_loads', _fail_probe)
    assert compat._torchvision_nms_needed() is needed


def test_untagged_torchvision_is_probed(monkeypatch):
    monkeypatch.setattr(torch.version, 'cuda', None)
    monkeypatch.setattr(compat, '_local_tag', lambda package: '')
    monkeypatch.setattr(compat, '_torchvision_c_loads', lambda: False)
    assert compat._torchvision_nms_needed() is True
