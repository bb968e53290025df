"""Export an enhancer alone to ONNX (dynamic batch, height and width).

The enhancer is exported after BatchNorm folding
(:func:`mmllie.models.enhancers.fuse_conv_bn`), then checked: ONNX Runtime's
output on an image of another size (``--verify-shape``, odd by default)
must equal the un-fused PyTorch enhancer's within ``--atol``, else the
tool exits with status 1. The exported GP-LLIE accepts any H, W >= 16.

Example:
    python tools/deployment/export_onnx.py \\
        --checkpoint work_dirs/gpllie_enhancer.pth --out gpllie.onnx
    python tools/deployment/export_onnx.py --untrained --out gpllie_init.onnx
"""
import argparse
import os.path as osp
import sys
from typing import Optional

import numpy as np
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.utils import mkdir_or_exist

import mmllie  # noqa: F401  (CPU-stack import fixes before anything else)
from mmllie.models.enhancers import (build_enhancer, deploy_enhancer,
                                     find_enhancer_cfg)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Export an mmllie enhancer to ONNX and verify it')
    parser.add_argument(
        '--checkpoint',
        help='enhancer-only checkpoint (from tools/'
        'model_converters/export_enhancer.py); its stored enhancer config '
        'is used unless --enhancer/--config is given')
    parser.add_argument(
        '--config',
        help='mmllie config whose model.data_preprocessor is '
        'mmllie.GlobalPixelwiseEnhancer: its enhancer is exported')
    parser.add_argument(
        '--enhancer', help='registered enhancer name (default GPLLIE)')
    parser.add_argument(
        '--untrained',
        action='store_true',
        help='export freshly initialised weights on purpose (no '
        '--checkpoint), e.g. to measure speed')
    parser.add_argument('--out', default='work_dirs/enhancer.onnx')
    parser.add_argument(
        '--overwrite', action='store_true', help='replace an existing --out')
    parser.add_argument(
        '--shape',
        type=int,
        nargs=2,
        default=[512, 1024],
        metavar=('H', 'W'),
        help='example input size for the export')
    parser.add_argument(
        '--verify-shape',
        type=int,
        nargs=2,
        default=[257, 193],
        metavar=('H', 'W'),
        help='size checked with ONNX Runtime')
    parser.add_argument('--opset', type=int, default=17)
    parser.add_argument('--atol', type=float, default=1e-4)
    args = parser.parse_args()
    if args.opset < 17:
        parser.error(f'--opset must be >= 17, got {args.opset}')
    if not args.checkpoint and not args.untrained:
        parser.error('--checkpoint is required (an enhancer-only checkpoint '
                     'from tools/model_converters/export_enhancer.py); pass '
                     '--untrained to export untrained weights on purpose')
    if args.checkpoint and args.untrained:
        parser.error('--untrained and --checkpoint exclude each other')
    if osp.exists(args.out) and not args.overwrite:
        parser.error(f'--out {args.out} exists; pass --overwrite to '
                     'replace it')
    if min(args.shape + args.verify_shape) < 16:
        parser.error('--shape and --verify-shape must be at least 16x16 '
                     '(the exported UNet reflect-pads to a multiple of 16)')
    return args


def enhancer_cfg(args: argparse.Namespace) -> Optional[dict]:
    """The enhancer config from --enhancer or --config, else None."""
    if args.enhancer:
        return dict(type=args.enhancer)
    if not args.config:
        return None
    cfg = find_enhancer_cfg(Config.fromfile(args.config).model)
    if cfg is None:
        raise SystemExit(f'{args.config}: model.data_preprocessor is not an '
                         'mmllie.GlobalPixelwiseEnhancer with an enhancer')
    return cfg


def build(args: argparse.Namespace) -> nn.Module:
    cfg = enhancer_cfg(args)
    if args.checkpoint:
        from mmllie.apis import load_enhancer
        return load_enhancer(args.checkpoint, cfg)
    return build_enhancer(cfg or dict(type='GPLLIE'))


def export(model: nn.Module, out: str, shape, opset: int) -> None:
    """Fuse BN and write ``out`` with dynamic batch / height / width."""
    fused = deploy_enhancer(model, channels_last=False)
    axes = {0: 'batch', 2: 'height', 3: 'width'}
    mkdir_or_exist(osp.dirname(osp.abspath(out)))
    torch.onnx.export(
        fused,
        (torch.rand(1, 3, *shape) * 0.2, ),
        out,
        dynamo=False,  # the TorchScript exporter: no onnxscript needed
        opset_version=opset,
        input_names=['input'],
        output_names=['output'],
        dynamic_axes=dict(input=axes, output=axes))


def verify(model: nn.Module, out: str, shape, atol: float) -> float:
    """Max |ONNX Runtime − PyTorch| on a random dark image of ``shape``."""
    import onnx
    import onnxruntime as ort
    onnx.checker.check_model(out)
    session = ort.InferenceSession(out, providers=['CPUExecutionProvider'])
    x = torch.rand(1, 3, *shape, generator=torch.Generator().manual_seed(0))
    x = x * 0.2
    with torch.inference_mode():
        expected = model.eval()(x).numpy()
    got = session.run(None, {'input': x.numpy()})[0]
    if got.shape != expected.shape:
        raise SystemExit(f'ONNX output shape {got.shape} != PyTorch '
                         f'{expected.shape} for input {tuple(x.shape)}')
    return float(np.abs(got - expected).max())


def main() -> None:
    args = parse_args()
    model = build(args).eval()
    export(model, args.out, args.shape, args.opset)
    diff = verify(model, args.out, args.verify_shape, args.atol)
    h, w = args.verify_shape
    print(f'Exported {type(model).__name__} to {args.out} (opset '
          f'{args.opset}); ONNX Runtime vs PyTorch at {h}x{w}: max abs '
          f'diff {diff:.3g} (atol {args.atol:g})')
    if not diff < args.atol:
        print('FAILED: outputs differ', file=sys.stderr)
        sys.exit(1)


if __name__ == '__main__':
    main()
