"""int8 ONNX of an enhancer (ONNX Runtime static quantization): speed and
accuracy.

The enhancer is exported after BN folding, then quantized with
``onnxruntime.quantization.quantize_static`` (QDQ format, int8 weights per
output channel, uint8 activations, min-max calibration on real images).
:func:`bench_int8_latency` times float32 vs int8 in ONNX Runtime on a CPU;
:func:`evaluate_int8_synthetic` scores both in front of the frozen day
recognizer on the generated city, with the checkpoints the synthetic
benchmark trained.
"""
import glob
import os
import os.path as osp
import tempfile
import time
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn

from mmllie.models.enhancers import deploy_enhancer
from .speed import build_frozen_enhancer, enhancer_label, randomize_, summarise


def export_enhancer_onnx(model: nn.Module,
                         path: str,
                         shape: Sequence[int] = (128, 256)) -> str:
    """Export the BN-folded enhancer (NCHW, opset 17, dynamic B, H, W)."""
    fast = deploy_enhancer(model.cpu(), channels_last=False)
    x = torch.rand(1, 3, *shape) * 0.1
    torch.onnx.export(
        fast, (x, ),
        path,
        input_names=['input'],
        output_names=['output'],
        opset_version=17,
        dynamo=False,
        dynamic_axes=dict(
            input={
                0: 'batch',
                2: 'height',
                3: 'width'
            },
            output={
                0: 'batch',
                2: 'height',
                3: 'width'
            }))
    return path


def quantize_enhancer_onnx(fp32_path: str, int8_path: str,
                           calibration: Sequence[np.ndarray]) -> str:
    """Static int8 quantization of an exported enhancer.

    Args:
        fp32_path (str): The float32 ONNX model.
        int8_path (str): Where to write the int8 model.
        calibration (Sequence[np.ndarray]): (1, 3, H, W) float32 inputs in
            [0, 1] (real images: the activation ranges come from them).

    Returns:
        str: ``int8_path``.
    """
    from onnxruntime.quantization import (CalibrationDataReader, QuantFormat,
                                          QuantType, quantize_static)
    from onnxruntime.quantization.shape_inference import quant_pre_process

    if not calibration:
        raise ValueError('quantize_enhancer_onnx: no calibration images')

    class Reader(CalibrationDataReader):

        def __init__(self) -> None:
            self.items = iter([{'input': a} for a in calibration])

        def get_next(self) -> Optional[Dict[str, np.ndarray]]:
            return next(self.items, None)

    with tempfile.TemporaryDirectory() as tmp:
        pre = osp.join(tmp, 'pre.onnx')
        quant_pre_process(fp32_path, pre, skip_symbolic_shape=True)
        quantize_static(
            pre,
            int8_path,
            Reader(),
            quant_format=QuantFormat.QDQ,
            per_channel=True,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8)
    return int8_path


def ort_session(path: str, threads: int = 1):
    """An ONNX Runtime CPU session with ``threads`` intra-op threads."""
    import onnxruntime as ort
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    return ort.InferenceSession(path, opts, providers=['CPUExecutionProvider'])


class OnnxEnhancer(nn.Module):
    """An ONNX Runtime enhancer as a torch module (inference only)."""

    def __init__(self, path: str, threads: int = 1) -> None:
        super().__init__()
        self.path = path
        self.session = ort_session(path, threads)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.session.run(
            None, {'input': x.detach().float().cpu().contiguous().numpy()})
        return torch.from_numpy(out[0]).to(device=x.device, dtype=x.dtype)


def bench_int8_latency(size: Tuple[int, int],
                       enhancers: List[dict],
                       threads: int = 2,
                       warmup: int = 2,
                       repeats: int = 10,
                       work_dir: Optional[str] = None) -> dict:
    """float32 vs int8 ONNX Runtime latency of enhancers at one size.

    Random weights (zero-initialised ones randomised, so the output is not
    the input), calibrated on dark random images; every row is timed
    interleaved and compared with PyTorch's float32 output.
    """
    tmp = tempfile.TemporaryDirectory() if work_dir is None else None
    out_dir = work_dir or tmp.name
    os.makedirs(out_dir, exist_ok=True)
    gen = torch.Generator().manual_seed(0)
    x = torch.rand(1, 3, *size, generator=gen) * 0.1
    calib = [(torch.rand(1, 3, *size, generator=gen) *
              (0.05 + 0.1 * i / 8)).numpy() for i in range(8)]
    sessions, refs = {}, {}
    for cfg in enhancers:
        name = enhancer_label(cfg)
        model = build_frozen_enhancer(cfg)
        randomize_(model)
        with torch.no_grad():
            refs[name] = model(x).numpy()
        fp32 = export_enhancer_onnx(model, osp.join(out_dir, f'{name}.onnx'),
                                    size)
        int8 = quantize_enhancer_onnx(fp32,
                                      osp.join(out_dir, f'{name}_int8.onnx'),
                                      calib)
        sessions[(name, 'fp32')] = ort_session(fp32, threads)
        sessions[(name, 'int8')] = ort_session(int8, threads)
    feed = {'input': x.numpy()}
    keys = list(sessions)
    times: Dict[tuple, List[float]] = {k: [] for k in keys}
    outs = {}
    for i in range(warmup + repeats):
        k0 = i % len(keys)
        for key in keys[k0:] + keys[:k0]:
            start = time.perf_counter()
            outs[key] = sessions[key].run(None, feed)[0]
            if i >= warmup:
                times[key].append((time.perf_counter() - start) * 1e3)
    rows = []
    for name, precision in keys:
        ref = refs[name]
        err = np.linalg.norm(outs[(name, precision)] - ref) / max(
            np.linalg.norm(ref), 1e-30)
        rows.append(
            dict(
                name=name,
                precision=precision,
                latency_ms=summarise(times[(name, precision)]),
                ratio_to_fp32=float(
                    np.median(times[(name, precision)]) /
                    np.median(times[(name, 'fp32')])),
                rel_error=float(err)))
    if tmp is not None:
        tmp.cleanup()
    return dict(size=list(size), threads=threads, rows=rows)


def _calibration_images(root: str, count: int) -> List[np.ndarray]:
    import mmcv
    folder = osp.join(root, 'NightCity-images', 'images', 'train')
    files = sorted(
        glob.glob(osp.join(folder, '*.png')) +
        glob.glob(osp.join(folder, '*.jpg')))
    if not files:
        raise FileNotFoundError(f'no training images (*.png, *.jpg) in '
                                f'{folder}')
    step = max(1, len(files) // count)
    out = []
    for f in files[::step][:count]:
        img = mmcv.imread(f, channel_order='rgb').astype(np.float32) / 255
        out.append(np.ascontiguousarray(img.transpose(2, 0, 1)[None]))
    return out


def evaluate_int8_synthetic(
    work_dir: str,
    settings: Sequence[str] = ('GEM + PAM', 'GEM + PAM light'),
    seeds: Sequence[int] = (0, 1),
    data_root: str = 'data/synthetic_city',
    level: str = 'hard',
    calibration_count: int = 32,
    precisions: Sequence[str] = ('fp32', 'int8')
) -> dict:
    """mIoU of trained enhancers in PyTorch fp32 vs ONNX int8.

    Uses the checkpoints a synthetic benchmark run left in ``work_dir``
    (``tools/synthetic_night_benchmark.py --settings ...``): each row's
    enhancer is exported, quantized with ``calibration_count`` training
    images of the darkened city as calibration, and both are tested in
    front of the same frozen recognizer on ``level``'s validation scenes.
    ``precisions=('int8', )`` skips the float32 test (the benchmark's own
    results hold it, from the same checkpoint).

    Returns:
        dict: ``rows`` of (setting, seed, fp32 mIoU, int8 mIoU).
    """
    from mmengine.runner import Runner

    from .synthetic_night import SETTINGS, _row_dir, setting_cfg
    root = osp.join(data_root, f'night-{level}')
    calib = _calibration_images(root, calibration_count)
    rows = []
    for name in settings:
        for seed in seeds:
            row_dir = _row_dir(name, seed, work_dir)
            ckpts = sorted(
                glob.glob(osp.join(row_dir, 'iter_*.pth')),
                key=lambda p: int(p.rsplit('_', 1)[1][:-4]))
            if not ckpts:
                raise FileNotFoundError(
                    f'no iter_*.pth in {row_dir}: run tools/'
                    f'synthetic_night_benchmark.py --settings "{name}" '
                    f'--seeds {seed} --work-dir {work_dir} first')
            result = dict(setting=name, seed=seed, checkpoint=ckpts[-1])
            for precision in precisions:
                cfg = setting_cfg(SETTINGS[name],
                                  osp.join(row_dir, f'eval_{precision}'), root)
                cfg.load_from = None
                runner = Runner.from_cfg(cfg)
                runner.load_checkpoint(ckpts[-1])
                pre = runner.model.data_preprocessor
                if precision == 'int8':
                    onnx_dir = osp.join(row_dir, 'onnx')
                    os.makedirs(onnx_dir, exist_ok=True)
                    fp32 = export_enhancer_onnx(
                        pre.enhancer.eval(), osp.join(onnx_dir,
                                                      'enhancer.onnx'))
                    int8 = quantize_enhancer_onnx(
                        fp32, osp.join(onnx_dir, 'enhancer_int8.onnx'), calib)
                    pre.enhancer = OnnxEnhancer(int8)
                result[precision] = float(runner.test()['mIoU'])
            rows.append(result)
    return dict(level=level, calibration_images=len(calib), rows=rows)
