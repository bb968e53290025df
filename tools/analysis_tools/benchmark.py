"""Parameters, FLOPs and latency of enhancers in front of a recognizer.

For each input size, in one process and interleaved round-robin (so load
drifts on a busy machine hit every row alike), it measures the recognizer
alone, each enhancer alone (eager and the deploy fast path of
:func:`mmllie.models.enhancers.deploy_enhancer`), and each deployed
enhancer + recognizer, in float32. Latency: median and spread over
``--repeats`` calls after ``--warmup`` rounds, in
``torch.inference_mode()``, timed with CUDA events on a GPU and
``time.perf_counter`` on CPU. FLOPs come from
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
import json
import os.path as osp
import sys

import torch
from mmengine.config import DictAction
from mmengine.utils import mkdir_or_exist

import mmllie  # noqa: F401  (CPU-stack import fixes before anything else)
from mmllie.benchmarks.speed import (RECOGNIZERS, auto_recognizer, bench_size,
                                     environment, load_config, parse_size,
                                     split_model_cfg, to_markdown)

#: The training recipe whose memory ``--device cuda`` measures.
TRAIN_CONFIG = 'configs/segmentation/gpllie_deeplabv3plus-mbv2-d8_1xb8-' \
    '10k_nightcity-512x1024.py'


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
        default=['LightGPLLIE', 'ZeroDCE', 'IALM'],
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


def write(report: dict, out: str) -> str:
    """Write the JSON and Markdown of ``report``; return the Markdown."""
    text = to_markdown(report)
    if out:
        mkdir_or_exist(osp.dirname(osp.abspath(out)))
        with open(out, 'w') as f:
            json.dump(report, f, indent=1, default=float)
        with open(osp.splitext(out)[0] + '.md', 'w') as f:
            f.write(text)
    return text


def main() -> None:
    args = parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    flush = not args.keep_denormals and torch.set_flush_denormal(True)
    device = torch.device(
        args.device or ('cuda' if torch.cuda.is_available() else 'cpu'))
    main_cfg = None
    if args.enhancer:
        main_cfg = dict(type=args.enhancer)
    elif args.config:
        cfg = load_config(args.config, args.cfg_options)
        main_cfg = split_model_cfg(cfg)[2]
    main_cfg = main_cfg or dict(type='GPLLIE')
    short = main_cfg['type'].split('.')[-1]
    enhancers = [main_cfg] + [
        dict(type=b) for b in args.baselines if b.split('.')[-1] != short
    ]
    report = dict(
        env=dict(
            environment(device, flush, sys.argv), device_type=device.type),
        warmup=args.warmup,
        repeats=args.repeats,
        results=[])
    for text in args.sizes:
        size = parse_size(text)
        recognizer = args.recognizer
        if recognizer == 'auto':
            recognizer = args.config or auto_recognizer(size)
        options = args.cfg_options if recognizer == args.config else None
        report['results'].append(
            bench_size(size, recognizer, enhancers, device,
                       args.batch_size, args.warmup, args.repeats, options,
                       tuple(args.profile)))
        write(report, args.out)
    if args.int8:
        from mmllie.benchmarks.int8_onnx import bench_int8_latency
        report['int8'] = [
            bench_int8_latency(
                parse_size(t),
                [e for e in enhancers if 'IALM' not in e['type']], args.threads
                or 1, args.warmup, args.repeats) for t in args.sizes
        ]
        write(report, args.out)
    if args.int8_accuracy:
        from mmllie.benchmarks.int8_onnx import evaluate_int8_synthetic
        report['int8_accuracy'] = evaluate_int8_synthetic(
            args.int8_accuracy, data_root=args.data_root)
        write(report, args.out)
    if device.type == 'cuda':
        from mmllie.benchmarks import speed_gpu
        report['gpu'] = []
        for text in args.sizes:
            size = parse_size(text)
            recognizer = args.recognizer
            if recognizer == 'auto':
                recognizer = args.config or auto_recognizer(size)
            report['gpu'].append(
                speed_gpu.bench_gpu_variants(
                    size, [e for e in enhancers if 'IALM' not in e['type']],
                    recognizer,
                    str(device),
                    args.batch_size,
                    repeats=args.gpu_repeats))
            write(report, args.out)
        if args.train_config != 'none':
            report['train_memory'] = speed_gpu.bench_train_memory(
                args.train_config, device=str(device))
            write(report, args.out)
        if not args.no_darkening:
            report['darkening'] = speed_gpu.bench_darkening(device=str(device))
            write(report, args.out)
        if not args.no_compile and args.sizes:  # slow: last, main + Zero-DCE
            size = parse_size(args.sizes[0])
            report['gpu'].append(
                speed_gpu.bench_gpu_variants(
                    size, [enhancers[0], dict(type='ZeroDCE')],
                    auto_recognizer(size),
                    str(device),
                    args.batch_size,
                    repeats=args.gpu_repeats,
                    enhancer_paths=speed_gpu.COMPILE_PATHS,
                    recognizer_paths=(),
                    pipeline=False))
            write(report, args.out)
    print(write(report, args.out))


if __name__ == '__main__':
    main()
