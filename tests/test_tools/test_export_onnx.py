"""tools/deployment/export_onnx.py: export GP-LLIE, compare with ORT."""
import importlib.util
import os.path as osp
import subprocess
import sys

import numpy as np
import onnxruntime as ort
import pytest
import torch
import torch.nn as nn
from mmengine.runner.checkpoint import save_checkpoint

from mmllie.models.enhancers import GPLLIE

pytestmark = pytest.mark.slow

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(REPO, 'tools', 'deployment', 'export_onnx.py')


def run_tool(*args):
    return subprocess.run([sys.executable, TOOL, *args],
                          cwd=REPO,
                          capture_output=True,
                          text=True)


def trained_like_checkpoint(path) -> GPLLIE:
    """An enhancer-only checkpoint with non-trivial BN statistics/heads."""
    torch.manual_seed(0)
    model = GPLLIE()
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.normal_(0, 0.2)
            m.running_var.uniform_(0.3, 3.0)
    nn.init.normal_(model.gem.head.weight, std=0.1)
    nn.init.normal_(model.pam.out_conv.weight, std=0.1)
    save_checkpoint(
        dict(
            state_dict=model.state_dict(),
            meta=dict(enhancer_cfg=dict(type='GPLLIE'))), str(path))
    return model.eval()


def test_export_and_onnxruntime_equality(tmp_path):
    model = trained_like_checkpoint(tmp_path / 'gpllie.pth')
    onnx_file = tmp_path / 'gpllie.onnx'
    proc = run_tool('--checkpoint', str(tmp_path / 'gpllie.pth'), '--out',
                    str(onnx_file), '--shape', '64', '96')
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert 'at 257x193: max abs diff' in proc.stdout
    # an independent check: another batch size and odd size
    session = ort.InferenceSession(
        str(onnx_file), providers=['CPUExecutionProvider'])
    x = torch.rand(2, 3, 37, 53) * 0.2
    got = session.run(None, {'input': x.numpy()})[0]
    with torch.no_grad():
        expected = model(x).numpy()
    assert got.shape == (2, 3, 37, 53)
    assert np.abs(expected).max() > 0.1
    assert np.abs(got - expected).max() < 1e-4


@pytest.mark.parametrize('args,message', [
    (['--untrained', '--opset', '13'], '--opset must be >= 17'),
    (['--untrained', '--verify-shape', '9', '40'], 'at least 16x16'),
    ([], '--checkpoint is required'),
    (['--untrained', '--checkpoint', 'x.pth'], 'exclude each other'),
    (['--untrained', '--out', __file__], 'exists; pass --overwrite'),
])
def test_bad_arguments_are_refused(monkeypatch, capsys, args, message):
    spec = importlib.util.spec_from_file_location('export_onnx', TOOL)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    monkeypatch.setattr(sys, 'argv', [TOOL, *args])
    with pytest.raises(SystemExit) as error:
        tool.parse_args()
    assert error.value.code == 2 and message in capsys.readouterr().err
