"""Parameters, FLOPs and latency of enhancers in front of a recognizer.

For each input size, interleaved round-robin in one process: the
recognizer alone, each enhancer alone (eager and deployed) and each
deployed enhancer + recognizer, in float32
(:func:`mmllie.benchmarks.speed.run_speed_benchmark`). Latency: median and
spread over ``--repeats`` calls after ``--warmup`` rounds; FLOPs from
:class:`mmengine.analysis.FlopAnalyzer` (1 multiply-add = 1 FLOP).

Sizes are ``HxW``. With ``--recognizer auto`` each size gets a preset
recognizer: 640x640 RTMDet-tiny (mmdet), 256x192 the mmpose top-down
ResNet-50, any other size DeepLabV3+ MobileNetV2 (mmseg, Cityscapes
512x1024, the paper's 1024×512 input is ``512x1024``). Nothing is
downloaded, so weights are untrained: their activations shrink layer by
layer into float denormals, which x86 CPUs process several times slower
than a trained model's activations. Denormals are therefore flushed to
zero (``torch.set_flush_denormal``; ``--keep-denormals`` keeps them),
which changes no timing of a trained model.

``--int8`` adds ONNX Runtime float32 vs int8 rows of each enhancer (CPU).
``--int8-accuracy WORK_DIR`` scores int8 against PyTorch float32 on the
generated city, with the checkpoints a ``tools/synthetic_night_benchmark.py``
run left in WORK_DIR. On CUDA (``--device cuda``) the tool also prints
every precision / layout / path variant (fp32 / bf16 / fp16, NCHW / NHWC,
eager, deploy, CUDA graph, padded widths, ``torch.compile``), the training
step memory of ``--train-config`` and the on-device darkening
(:mod:`mmllie.benchmarks.speed_gpu`).

Example:
    python tools/analysis_tools/benchmark.py --threads 2 --int8 \\
        --out work_dirs/bench.json
    python tools/analysis_tools/benchmark.py --sizes 512x1024 \\
        --config configs/nightcity_deeplabv3plus_gpllie.py --repeats 20
    python tools/analysis_tools/benchmark.py --device cuda --out gpu.json
"""
import argparse

import torch
from mmengine.config import DictAction

import mmllie  # noqa: F401  (CPU-stack import fixes before anything else)
from mmllie.benchmarks.speed import (BASELINES, RECOGNIZERS, TRAIN_CONFIG,
                                     enhancer_cfgs, run_speed_benchmark)
from mmllie.benchmarks.speed_report import write_report


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Benchmark enhancers (params, FLOPs, latency)')
    parser.add_argument(
        '--config',
        help='an mmllie config (its enhancer and recognizer '
        'are used) or any mmseg/mmpose/mmpretrain/mmdet model config')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the --config file, key=value pairs')
    parser.add_argument(
        '--enhancer',
        help='registered enhancer name (default: the '
        "config's enhancer, else GPLLIE)")
    parser.add_argument(
        '--recognizer',
        default='auto',
        help='auto, ' + ', '.join(RECOGNIZERS) +
        ', or a config path / "pkg::path" '
        '(default: the --config model, else auto)')
    parser.add_argument(
        '--baselines',
        nargs='*',
        default=list(BASELINES),
        help='other enhancers to compare with')
    parser.add_argument(
        '--sizes',
        nargs='*',
        default=['640x640', '512x1024'],
        help='input sizes as HxW (none: only --int8-accuracy)')
    parser.add_argument('--batch-size', type=int, default=1)
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--repeats', type=int, default=10)
    parser.add_argument(
        '--device',
        default=None,
        help='default: cuda if '
        'available, else cpu')
    parser.add_argument(
        '--threads',
        type=int,
        help='torch.set_num_threads and ONNX Runtime threads '
        '(default: torch left as is, ONNX Runtime 1)')
    parser.add_argument(
        '--profile',
        nargs='*',
        default=[],
        metavar='ROW',
        help='print a torch.profiler table (top ops by self time) of '
        'these rows, e.g. "GPLLIE (deploy)"')
    parser.add_argument(
        '--keep-denormals',
        action='store_true',
        help='do not flush float denormals to zero')
    parser.add_argument(
        '--int8',
        action='store_true',
        help='add ONNX Runtime float32 vs int8 rows (CPU)')
    parser.add_argument(
        '--int8-accuracy',
        metavar='WORK_DIR',
        help='score int8 ONNX vs PyTorch float32 on the generated city '
        'with the checkpoints of a synthetic_night_benchmark.py run')
    parser.add_argument(
        '--data-root',
        default='data/synthetic_city',
        help='generated city of --int8-accuracy')
    parser.add_argument(
        '--gpu-repeats',
        type=int,
        default=100,
        help='timed rounds of the GPU variant table')
    parser.add_argument(
        '--no-compile',
        action='store_true',
        help='CUDA: skip the torch.compile rows')
    parser.add_argument(
        '--train-config',
        default=TRAIN_CONFIG,
        help='CUDA: the recipe whose training-step memory is measured '
        '("none" to skip)')
    parser.add_argument(
        '--no-darkening',
        action='store_true',
        help='CUDA: skip the darkening rows')
    parser.add_argument(
        '--out',
        help='JSON output; the Markdown table is '
        'also written next to it with a .md suffix')
    args = parser.parse_args()
    if args.repeats < 1 or args.warmup < 0 or args.batch_size < 1:
        parser.error('--repeats and --batch-size must be >= 1, --warmup '
                     '>= 0')
    return args


def main() -> None:
    args = parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    flush = not args.keep_denormals and torch.set_flush_denormal(True)
    device = torch.device(
        args.device or ('cuda' if torch.cuda.is_available() else 'cpu'))
    report = run_speed_benchmark(
        args.sizes,
        enhancer_cfgs(args.enhancer, args.config, args.cfg_options,
                      args.baselines),
        device,
        recognizer=args.recognizer,
        config=args.config,
        cfg_options=args.cfg_options,
        batch_size=args.batch_size,
        warmup=args.warmup,
        repeats=args.repeats,
        profile=args.profile,
        flush_denormal=flush,
        int8=args.int8,
        threads=args.threads,
        int8_accuracy=args.int8_accuracy,
        data_root=args.data_root,
        gpu_repeats=args.gpu_repeats,
        train_config=args.train_config,
        darkening=not args.no_darkening,
        torch_compile=not args.no_compile,
        out=args.out)
    print(write_report(report, args.out))


if __name__ == '__main__':
    main()
