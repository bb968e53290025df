"""Fused enhancer + recognizer: the module equals the model's own data
path, and tools/deployment/export_fused_onnx.py's graph equals PyTorch in
ONNX Runtime on an odd size (seg, pose, cls, det)."""
import os.path as osp
import runpy
import sys

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import MODELS, init_default_scope
from mmengine.runner import load_checkpoint
from mmengine.structures import BaseDataElement

from mmllie.models.fused_recognizer import FusedEnhancerRecognizer
from mmllie.testing.inference import SCOPES
from mmllie.testing.tools import CHECKOUT as REPO

pytestmark = pytest.mark.slow

TOOL = osp.join(REPO, 'tools', 'deployment', 'export_fused_onnx.py')
#: an input size each recognizer takes without padding / resizing
SIZES = dict(
    mmseg=(64, 128), mmpose=(48, 32), mmpretrain=(45, 61), mmdet=(64, 96))
#: another size each takes: odd for all but the detector (multiples of 32)
VERIFY = dict(
    mmseg=(67, 133), mmpose=(51, 37), mmpretrain=(48, 66), mmdet=(160, 224))


def flat(out) -> list:
    if isinstance(out, torch.Tensor):
        return [out]
    return [t for o in out for t in flat(o)]


def run_tool(*args):
    argv, sys.argv = sys.argv, [TOOL, *map(str, args)]
    try:
        runpy.run_path(TOOL, run_name='__main__')
    finally:
        sys.argv = argv


@pytest.fixture(scope='module')
def cases(inference_cases):
    return inference_cases


def _model(case, scope):
    init_default_scope(scope)
    model = MODELS.build(Config.fromfile(case['config']).model)
    load_checkpoint(model, case['checkpoint'], map_location='cpu')
    return model.eval()


@pytest.mark.parametrize('scope', SCOPES)
def test_fused_equals_data_path(cases, scope):
    model = _model(cases[scope], scope)
    g = torch.Generator().manual_seed(0)
    bgr = (torch.rand(2, 3, *SIZES[scope], generator=g) * 60).to(torch.uint8)
    with torch.no_grad():
        samples = [BaseDataElement() for _ in bgr]  # metainfo is written
        inputs = model.data_preprocessor(
            dict(inputs=list(bgr), data_samples=samples))['inputs']
        expected = model(inputs, None, mode='tensor')
        got = FusedEnhancerRecognizer(model)(bgr.flip(1).float())
        plain = FusedEnhancerRecognizer(
            model, with_enhancer=False)(
                bgr.flip(1).float())
    # float32 rounding: the data path undoes the host's mean/std, the fused
    # module never applies it (trained seg logits reach ~10)
    torch.testing.assert_close(got, expected, atol=1e-4, rtol=1e-4)
    diff = max(
        (p - e).abs().max() for p, e in zip(flat(plain), flat(expected)))
    assert diff > 1e-3  # the enhancer is in


@pytest.mark.parametrize('scope', SCOPES)
def test_export_fused_onnx_odd_size(tmp_path, cases, scope, capsys):
    case = cases[scope]
    out = tmp_path / 'fused.onnx'
    h, w = SIZES[scope]
    vh, vw = VERIFY[scope]
    run_tool(case['config'], case['checkpoint'], '--out', out, '--shape', h, w,
             '--verify-shape', vh, vw)
    assert 'max abs diff' in capsys.readouterr().out
    with pytest.raises(FileExistsError, match='--overwrite'):
        run_tool(case['config'], case['checkpoint'], '--out', out)
    # the graph is ONE model: enhancer and recognizer both inside
    import onnx
    graph = onnx.load(str(out)).graph
    assert len(graph.input) == 1 and graph.input[0].name == 'image'
    import onnxruntime as ort
    x = np.random.default_rng(0).random((1, 3, vh, vw)) * 60
    session = ort.InferenceSession(str(out))
    got = session.run(None, {'image': x.astype(np.float32)})
    with torch.no_grad():
        ref = flat(
            FusedEnhancerRecognizer(_model(case, scope),
                                    deploy=False)(torch.from_numpy(x).float()))
    assert len(got) == len(ref)
    for o, r in zip(got, ref):
        assert o.shape == r.shape
        assert np.abs(o - r.numpy()).max() < 1e-4


def test_detector_size_error(tmp_path, cases):
    """A size the detector cannot take: a clear error, not mmdet's."""
    case = cases['mmdet']
    with pytest.raises(SystemExit, match='--verify-shape'):
        run_tool(case['config'], case['checkpoint'], '--out',
                 tmp_path / 'd.onnx', '--shape', 64, 96, '--verify-shape', 67,
                 101)
