"""Export enhancer + host mean/std + recognizer as ONE ONNX graph.

Input ``image``: (B, 3, H, W) RGB float in [0, 255], dynamic B, H, W;
outputs: the recognizer's head outputs (``mode='tensor'``: segmentation
logits, pose heatmaps, classification logits, a detector's per-level class
scores and box regressions before decoding and NMS), see
:class:`mmllie.models.fused_recognizer.FusedEnhancerRecognizer`. ONNX
Runtime's outputs at ``--verify-shape`` (odd by default) are checked
against the PyTorch model (un-fused BatchNorms) within ``--atol``, else
the tool exits with status 1.

Example:
    python tools/deployment/export_fused_onnx.py \\
        configs/nightcity_deeplabv3plus_gpllie.py iter_10000.pth \\
        --out work_dirs/gpllie_deeplabv3plus.onnx --shape 512 1024
"""
import argparse
import os.path as osp
import sys
from typing import List

import numpy as np
import torch
from mmengine.config import Config, DictAction
from mmengine.registry import MODELS, init_default_scope
from mmengine.runner import load_checkpoint
from mmengine.utils import mkdir_or_exist

import mmllie  # noqa: F401  (CPU-stack import fixes before anything else)
from mmllie.hosts import BaseHost, host_of
from mmllie.models.fused_recognizer import FusedEnhancerRecognizer


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='mmllie config')
    parser.add_argument(
        'checkpoint', nargs='?', help='enhancer + recognizer checkpoint')
    parser.add_argument('--out', default='work_dirs/fused.onnx')
    parser.add_argument(
        '--recognizer-only',
        action='store_true',
        help='export the recognizer alone (same mean/std, no enhancer)')
    parser.add_argument(
        '--shape', type=int, nargs=2, default=[512, 1024], metavar=('H', 'W'))
    parser.add_argument(
        '--verify-shape',
        type=int,
        nargs=2,
        metavar=('H', 'W'),
        help="size checked with ONNX Runtime (default: the host's "
        'export_verify_shape, e.g. 257 193; for an mmdet detector 160 224, '
        'odd multiples of its stride 32)')
    parser.add_argument('--opset', type=int, default=17)
    parser.add_argument('--atol', type=float, default=1e-4)
    parser.add_argument(
        '--overwrite', action='store_true', help='replace --out')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction, help='k=v overrides')
    return parser.parse_args()


def build_model(config: str, checkpoint: str = None, cfg_options=None):
    """The config's model, with the checkpoint's weights, in eval mode."""
    if not osp.isfile(config):
        raise FileNotFoundError(f'config file {config} does not exist')
    cfg = Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmengine'))
    model = MODELS.build(cfg.model)
    if checkpoint:
        if not osp.isfile(checkpoint):
            raise FileNotFoundError(f'checkpoint {checkpoint} does not exist')
        load_checkpoint(model, checkpoint, map_location='cpu')
    return model.eval()


def flat(out) -> List[torch.Tensor]:
    if isinstance(out, torch.Tensor):
        return [out]
    return [t for o in out for t in flat(o)]


def export(fused: torch.nn.Module, out: str, shape, opset: int,
           host: BaseHost) -> List[str]:
    x = torch.rand(1, 3, *shape) * 60
    with torch.no_grad():
        n = len(flat(fused(x)))
    names = host.export_output_names(n)
    axes = {'image': {0: 'batch', 2: 'height', 3: 'width'}}
    axes.update({name: {0: 'batch'} for name in names})
    mkdir_or_exist(osp.dirname(osp.abspath(out)))
    torch.onnx.export(
        fused,
        (x, ),
        out,
        dynamo=False,  # the TorchScript exporter: no onnxscript needed
        opset_version=opset,
        input_names=['image'],
        output_names=names,
        dynamic_axes=axes)
    return names


def verify(reference: torch.nn.Module, out: str, shape) -> tuple:
    """Max |ONNX Runtime − PyTorch| and max |PyTorch| on a random dark
    image of ``shape``."""
    import onnx
    import onnxruntime as ort
    onnx.checker.check_model(out)
    session = ort.InferenceSession(out, providers=['CPUExecutionProvider'])
    g = torch.Generator().manual_seed(0)
    x = torch.rand(1, 3, *shape, generator=g) * 60
    with torch.no_grad():
        try:
            expected = [t.numpy() for t in flat(reference(x))]
        except RuntimeError as e:
            raise SystemExit(
                f'the recognizer does not take a {shape[0]}x{shape[1]} '
                f'input ({str(e).splitlines()[0]}); pass a --verify-shape '
                'it accepts (a detector: multiples of its largest stride, '
                'e.g. 32)') from e
    got = session.run(None, {'image': x.numpy()})
    diff = scale = 0.0
    for e, o in zip(expected, got):
        if e.shape != o.shape:
            raise SystemExit(f'ONNX output shape {o.shape} != PyTorch '
                             f'{e.shape} for input {tuple(x.shape)}')
        diff = max(diff, float(np.abs(e - o).max()))
        scale = max(scale, float(np.abs(e).max()))
    return diff, scale


def main() -> None:
    args = parse_args()
    if osp.exists(args.out) and not args.overwrite:
        raise FileExistsError(f'{args.out} exists; pass --overwrite')
    model = build_model(args.config, args.checkpoint, args.cfg_options)
    with_enhancer = not args.recognizer_only
    fused = FusedEnhancerRecognizer(model, with_enhancer, deploy=True)
    reference = FusedEnhancerRecognizer(model, with_enhancer, deploy=False)
    host = host_of(model) or BaseHost()
    names = export(fused, args.out, args.shape, args.opset, host)
    shape = args.verify_shape or list(host.export_verify_shape)
    diff, scale = verify(reference, args.out, shape)
    h, w = shape
    what = 'recognizer' if args.recognizer_only else 'enhancer + recognizer'
    print(f'Exported {what} to {args.out} (opset {args.opset}, outputs '
          f'{names}); ONNX Runtime vs PyTorch at {h}x{w}: max abs diff '
          f'{diff:.3g} (atol {args.atol:g}; max |output| {scale:.3g})')
    if not diff < args.atol:
        print('FAILED: outputs differ', file=sys.stderr)
        sys.exit(1)


if __name__ == '__main__':
    main()
