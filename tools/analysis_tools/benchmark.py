"""Parameters, FLOPs and latency of enhancers in front of a recognizer.

For each input size, in one process and interleaved round-robin (so load
drifts on a busy machine hit every row alike), it measures the recognizer
alone, each enhancer alone (eager and the deploy fast path of
:func:`mmllie.models.enhancers.deploy_enhancer`), and each deployed
enhancer + recognizer. Latency: median and spread over ``--repeats`` calls
after ``--warmup`` rounds, in ``torch.inference_mode()``, timed with CUDA
events on a GPU and ``time.perf_counter`` on CPU. FLOPs come from
:class:`mmengine.analysis.FlopAnalyzer` (1 multiply-add = 1 FLOP).

Sizes are ``HxW``: the paper's 1024×512 segmentation input is ``512x1024``
and its 256×192 pose input ``256x192``. With ``--recognizer auto`` each
size gets the paper's recognizer: 256x192 the mmpose top-down ResNet-50,
any other size DeepLabV3+ MobileNetV2 (mmseg, Cityscapes 512x1024).
Nothing is downloaded, so weights are untrained: their activations shrink
layer by layer into float denormals, which x86 CPUs process several times
slower than a trained model's activations. Denormals are therefore
flushed to zero (``torch.set_flush_denormal``; ``--keep-denormals`` keeps
them), which changes no timing of a trained model.

Example:
    python tools/analysis_tools/benchmark.py --out work_dirs/bench.json
    python tools/analysis_tools/benchmark.py --sizes 512x1024 \\
        --config configs/nightcity_deeplabv3plus_gpllie.py --repeats 20
"""
import argparse
import json
import os.path as osp
import platform
import sys
import time
from typing import Callable, Dict, List, Optional, Tuple

import numpy as np
import torch
import torch.nn as nn
from mmengine.analysis import FlopAnalyzer
from mmengine.config import Config, DictAction
from mmengine.hub import get_config
from mmengine.model import revert_sync_batchnorm
from mmengine.registry import MODELS as ROOT_MODELS
from mmengine.registry import DefaultScope
from mmengine.utils import mkdir_or_exist

import mmllie  # noqa: F401  (CPU-stack import fixes before anything else)
from mmllie.models.enhancers import (build_enhancer, deploy_enhancer,
                                     find_enhancer_cfg)
from mmllie.models.enhancers.builder import WRAPPER_TYPES

_SEG = 'mmseg::mobilenet_v2/mobilenet-v2-d8_deeplabv3plus_4xb2-80k_' \
    'cityscapes-512x1024.py'
_POSE = 'mmpose::body_2d_keypoint/topdown_heatmap/coco/td-hm_res50_' \
    '8xb64-210e_coco-256x192.py'
#: The paper's recognizers (section 4): segmentation and pose.
RECOGNIZERS = {'deeplabv3plus': _SEG, 'topdown-res50': _POSE}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Benchmark enhancers (params, FLOPs, latency)')
    parser.add_argument(
        '--config',
        help='an mmllie config (its enhancer and recognizer '
        'are used) or any mmseg/mmpose/mmpretrain model config')
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
        default=['ZeroDCE', 'IALM'],
        help='baseline enhancers to compare with')
    parser.add_argument(
        '--sizes',
        nargs='+',
        default=['256x192', '512x1024'],
        help='input sizes as HxW')
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
        help='torch.set_num_threads '
        '(default: left as is)')
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
        '--out',
        help='JSON output; the Markdown table is '
        'also written next to it with a .md suffix')
    args = parser.parse_args()
    if args.repeats < 1 or args.warmup < 0 or args.batch_size < 1:
        parser.error('--repeats and --batch-size must be >= 1, --warmup '
                     '>= 0')
    return args


def parse_size(text: str) -> Tuple[int, int]:
    """``'512x1024'`` → ``(512, 1024)`` (H, W)."""
    try:
        h, w = (int(v) for v in text.lower().split('x'))
        assert h > 0 and w > 0
    except (ValueError, AssertionError):
        raise SystemExit(f'--sizes: "{text}" is not HxW with positive '
                         'integers, e.g. 512x1024') from None
    return h, w


def load_config(name: str, options: Optional[dict] = None) -> Config:
    """A preset name, a ``pkg::path`` config, or a config file."""
    name = RECOGNIZERS.get(name, name)
    if '::' in name:
        cfg = get_config(name)
    elif osp.isfile(name):
        cfg = Config.fromfile(name)
    else:
        raise SystemExit(f'recognizer/config "{name}" is neither one of '
                         f'{list(RECOGNIZERS)} nor a config file')
    if options:
        cfg.merge_from_dict(options)
    return cfg


def split_model_cfg(cfg: Config) -> Tuple[dict, dict, Optional[dict]]:
    """(recognizer model cfg, host preprocessor cfg, enhancer cfg)."""
    model = cfg.model.to_dict() if hasattr(cfg.model, 'to_dict') else dict(
        cfg.model)
    enhancer = find_enhancer_cfg(model)
    pre = model.pop('data_preprocessor', None) or {}
    if pre.get('type') in WRAPPER_TYPES:
        pre = pre['host']
    if 'pretrained' in model:  # nothing is downloaded
        model['pretrained'] = None
    if model.get('auxiliary_head'):  # training-only head
        model['auxiliary_head'] = None
    return model, pre, enhancer


class Pipeline(nn.Module):
    """``[enhancer] → host mean/std → [recognizer(x, mode='tensor')]``."""

    def __init__(self, enhancer: Optional[nn.Module],
                 recognizer: Optional[nn.Module], host: dict) -> None:
        super().__init__()
        self.enhancer, self.recognizer = enhancer, recognizer
        mean = torch.tensor(host.get('mean') or [0.] * 3).view(1, 3, 1, 1)
        std = torch.tensor(host.get('std') or [1.] * 3).view(1, 3, 1, 1)
        self.register_buffer('mean', mean, False)
        self.register_buffer('std', std, False)

    def forward(self, x: torch.Tensor):
        if self.enhancer is not None:  # the recognizer keeps its layout
            x = self.enhancer(x).contiguous()
        if self.recognizer is None:
            return x
        x = (x * 255 - self.mean) / self.std
        return self.recognizer(x, None, mode='tensor')


def build_recognizer(cfg: Config) -> Tuple[nn.Module, dict]:
    """Frozen eval-mode recognizer (SyncBN → BN) and its host cfg."""
    model_cfg, host, _ = split_model_cfg(cfg)
    with DefaultScope.overwrite_default_scope(cfg.get('default_scope')):
        model = ROOT_MODELS.build(model_cfg)
    return revert_sync_batchnorm(model).eval().requires_grad_(False), host


def build_frozen_enhancer(cfg: dict) -> nn.Module:
    """Build an mmllie enhancer in eval mode, without gradients."""
    try:
        enhancer = build_enhancer(cfg)
    except KeyError as e:
        raise SystemExit(str(e)) from None
    return enhancer.eval().requires_grad_(False)


def count_flops(module: nn.Module, x: torch.Tensor) -> Tuple[int, list]:
    analyzer = FlopAnalyzer(module, (x, ))
    analyzer.unsupported_ops_warnings(False)
    analyzer.uncalled_modules_warnings(False)
    with torch.no_grad():
        return analyzer.total(), sorted(analyzer.unsupported_ops())


def time_rows(fns: Dict[str, Callable], x: torch.Tensor, warmup: int,
              repeats: int) -> Dict[str, List[float]]:
    """Round-robin timing (rotated order each round), milliseconds."""
    names, cuda = list(fns), x.is_cuda
    times: Dict[str, List[float]] = {n: [] for n in names}
    with torch.inference_mode():
        for _ in range(warmup):
            for name in names:
                fns[name](x)
        for i in range(repeats):
            k = i % len(names)
            for name in names[k:] + names[:k]:
                if cuda:
                    start, end = (
                        torch.cuda.Event(enable_timing=True) for _ in range(2))
                    start.record()
                    fns[name](x)
                    end.record()
                    end.synchronize()
                    times[name].append(start.elapsed_time(end))
                else:
                    t0 = time.perf_counter()
                    fns[name](x)
                    times[name].append((time.perf_counter() - t0) * 1e3)
    return times


def profile_row(name: str, fn: Callable, x: torch.Tensor) -> None:
    """Print where 3 calls' time goes, op by op and by input shape."""
    from torch.profiler import profile
    with torch.inference_mode(), profile(record_shapes=True) as prof:
        for _ in range(3):
            fn(x)
    print(
        f'\nProfile of "{name}", {tuple(x.shape)}, 3 calls:', file=sys.stderr)
    table = prof.key_averages(group_by_input_shape=True).table(
        sort_by='self_cpu_time_total', row_limit=20)
    print(table, file=sys.stderr)


def summarise(ms: List[float]) -> dict:
    a = np.asarray(ms)
    p25, med, p75 = np.percentile(a, [25, 50, 75])
    return dict(
        median=med,
        p25=p25,
        p75=p75,
        iqr=p75 - p25,
        min=a.min(),
        max=a.max(),
        mean=a.mean(),
        std=a.std(),
        samples=ms)


def bench_size(size: Tuple[int, int], recognizer: str, enhancers: List[dict],
               args: argparse.Namespace, device: torch.device) -> dict:
    """Build, count and time every row for one input size."""
    options = args.cfg_options if recognizer == args.config else None
    model, host = build_recognizer(load_config(recognizer, options))
    x = torch.rand(args.batch_size, 3, *size, device=device) * 0.1
    alone = Pipeline(None, model, host).to(device)
    rows = {'recognizer': (alone, None)}
    for cfg in enhancers:
        name = cfg['type'].split('.')[-1]
        eager = build_frozen_enhancer(cfg).to(device)
        fast = deploy_enhancer(eager)
        rows[name] = (eager, name)
        rows[f'{name} (deploy)'] = (fast, name)
        both = Pipeline(fast, model, host).to(device)
        rows[f'{name} (deploy) + recognizer'] = (both, name)
    flops, skipped = {}, {}
    for label, (module, name) in rows.items():
        if label.endswith('+ recognizer'):  # the sum of the two traces
            flops[label] = flops[f'{name} (deploy)'] + flops['recognizer']
            skipped[label] = sorted(
                set(skipped[f'{name} (deploy)'] + skipped['recognizer']))
        else:
            flops[label], skipped[label] = count_flops(module, x)
    fns = {label: module for label, (module, _) in rows.items()}
    print(
        f'{size[0]}x{size[1]}: timing {len(fns)} rows, {args.repeats} '
        'calls each...',
        file=sys.stderr,
        flush=True)
    times = time_rows(fns, x, args.warmup, args.repeats)
    for name in args.profile:
        if name not in fns:
            raise SystemExit(f'--profile: no row "{name}"; rows are '
                             f'{list(fns)}')
        profile_row(name, fns[name], x)
    med = {k: float(np.median(v)) for k, v in times.items()}
    out = []
    for label, (module, name) in rows.items():
        deploy = '(deploy)' in label
        row = dict(
            name=label,
            enhancer=name,
            deploy=deploy,
            with_recognizer=label.endswith('recognizer'),
            params=sum(p.numel() for p in module.parameters()),
            flops=flops[label],
            unsupported_ops=skipped[label],
            latency_ms=summarise(times[label]),
            ratio_to_recognizer=med[label] / med['recognizer'])
        if label.endswith('+ recognizer'):
            row['overhead_ms'] = med[label] - med['recognizer']
        elif name and 'ZeroDCE' in rows:
            ref = 'ZeroDCE (deploy)' if deploy else 'ZeroDCE'
            row['ratio_to_zero_dce'] = med[label] / med[ref]
        out.append(row)
    return dict(
        size=list(size),
        batch_size=args.batch_size,
        recognizer=RECOGNIZERS.get(recognizer, recognizer),
        rows=out)


def environment(device: torch.device, flush_denormal: bool) -> dict:
    cpu = platform.processor()
    if osp.isfile('/proc/cpuinfo'):
        with open('/proc/cpuinfo') as f:
            cpu = next((ln.split(':', 1)[1].strip()
                        for ln in f if ln.startswith('model name')), cpu)
    return dict(
        command=' '.join(['python'] + sys.argv),
        torch=torch.__version__,
        device=torch.cuda.get_device_name(device)
        if device.type == 'cuda' else cpu,
        threads=torch.get_num_threads(),
        mkldnn=torch.backends.mkldnn.is_available(),
        flush_denormal=flush_denormal,
        date=time.strftime('%Y-%m-%d %H:%M:%S'))


def to_markdown(report: dict) -> str:
    env = report['env']
    lines = [
        f'`{env["command"]}`', '',
        f'Device: {env["device"]}, {env["threads"]} threads, torch '
        f'{env["torch"]}, denormals '
        f'{"flushed" if env["flush_denormal"] else "kept"}; '
        f'{report["warmup"]} warm-up rounds, '
        f'{report["repeats"]} timed calls per row (interleaved); '
        'FLOPs from mmengine FlopAnalyzer (1 multiply-add = 1 FLOP).'
    ]
    for res in report['results']:
        h, w = res['size']
        lines += [
            '', f'### {h}×{w} (H×W), batch {res["batch_size"]}, recognizer '
            f'`{res["recognizer"]}`', '',
            '| Model | Params | GFLOPs | GFLOP/s | Median (ms) | IQR (ms) '
            '| Min–max (ms) | × recognizer | × Zero-DCE |',
            '|---|--:|--:|--:|--:|--:|--:|--:|--:|'
        ]
        for r in res['rows']:
            t, g = r['latency_ms'], r['flops'] / 1e9
            zd = r.get('ratio_to_zero_dce')
            lines.append(f'| {r["name"]} | {r["params"]:,} | {g:.2f} | '
                         f'{g / t["median"] * 1e3:.1f} | {t["median"]:.1f} | '
                         f'{t["iqr"]:.1f} | {t["min"]:.1f}–{t["max"]:.1f} | '
                         f'{r["ratio_to_recognizer"]:.3f} | '
                         f'{"" if zd is None else f"{zd:.3f}"} |')
    return '\n'.join(lines) + '\n'


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
    results = []
    for text in args.sizes:
        size = parse_size(text)
        recognizer = args.recognizer
        if recognizer == 'auto':
            recognizer = args.config or ('topdown-res50' if size == (256, 192)
                                         else 'deeplabv3plus')
        results.append(bench_size(size, recognizer, enhancers, args, device))
    report = dict(
        env=environment(device, flush),
        warmup=args.warmup,
        repeats=args.repeats,
        results=results)
    text = to_markdown(report)
    print(text)
    if args.out:
        mkdir_or_exist(osp.dirname(osp.abspath(args.out)))
        with open(args.out, 'w') as f:
            json.dump(report, f, indent=1, default=float)
        with open(osp.splitext(args.out)[0] + '.md', 'w') as f:
            f.write(text)


if __name__ == '__main__':
    main()
