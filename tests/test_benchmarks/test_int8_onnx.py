"""int8 ONNX of an enhancer: export, static quantization, ORT module."""
import numpy as np
import pytest
import torch

from mmllie.benchmarks.int8_onnx import (OnnxEnhancer, evaluate_int8_synthetic,
                                         export_enhancer_onnx,
                                         quantize_enhancer_onnx)
from mmllie.benchmarks.speed import randomize_
from mmllie.models.enhancers import GPLLIE, LightGPLLIE


@pytest.mark.parametrize(
    'model_type',
    [GPLLIE, LightGPLLIE, lambda: LightGPLLIE(pam=dict(upsampling='guided'))])
def test_int8_close_to_float(tmp_path, model_type):
    model = model_type().eval()
    randomize_(model)
    fp32 = export_enhancer_onnx(model, str(tmp_path / 'm.onnx'), (64, 96))
    gen = torch.Generator().manual_seed(1)
    calib = [(torch.rand(1, 3, 64, 96, generator=gen) * 0.2).numpy()
             for _ in range(4)]
    int8 = quantize_enhancer_onnx(fp32, str(tmp_path / 'm8.onnx'), calib)
    x = torch.rand(2, 3, 80, 112, generator=gen) * 0.2  # another size
    with torch.no_grad():
        ref = model(x)
    got32 = OnnxEnhancer(fp32)(x)
    got8 = OnnxEnhancer(int8)(x)
    assert got8.shape == ref.shape and got8.dtype == ref.dtype
    torch.testing.assert_close(got32, ref, rtol=0, atol=1e-5)
    err = float((got8 - ref).norm() / ref.norm())
    assert 0 < err < 0.05  # quantized: close, not equal
    import onnx
    ops = {n.op_type for n in onnx.load(int8).graph.node}
    assert 'QuantizeLinear' in ops and 'DequantizeLinear' in ops


def test_quantize_needs_calibration(tmp_path):
    fp32 = export_enhancer_onnx(GPLLIE().eval(), str(tmp_path / 'm.onnx'),
                                (32, 32))
    with pytest.raises(ValueError, match='no calibration'):
        quantize_enhancer_onnx(fp32, str(tmp_path / 'q.onnx'), [])


def test_accuracy_needs_trained_rows(tmp_path):
    root = tmp_path / 'night-hard' / 'NightCity-images' / 'images' / 'train'
    root.mkdir(parents=True)
    import mmcv
    mmcv.imwrite(np.zeros((8, 8, 3), np.uint8), str(root / 'a.png'))
    with pytest.raises(FileNotFoundError, match='synthetic_night_benchmark'):
        evaluate_int8_synthetic(
            str(tmp_path / 'runs'), data_root=str(tmp_path))
