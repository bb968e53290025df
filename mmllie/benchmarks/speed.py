"""Parameters, FLOPs and latency of enhancers in front of a recognizer.

The logic of ``tools/analysis_tools/benchmark.py``
(:func:`run_speed_benchmark`). Every table is timed in one process,
interleaved round-robin (each round starts at another row), so load drifts
on a busy machine hit every row alike; CUDA events on a GPU,
``time.perf_counter`` on a CPU. Weights are random (nothing is
downloaded); latency does not depend on them.
"""
import copy
import os.path as osp
import platform
import sys
import time
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn
from mmengine.analysis import FlopAnalyzer
from mmengine.config import Config
from mmengine.hub import get_config
from mmengine.model import revert_sync_batchnorm
from mmengine.registry import MODELS as ROOT_MODELS
from mmengine.registry import DefaultScope

from mmllie.models.data_preprocessors.host_normalization import \
    HostNormalization
from mmllie.models.enhancers import (build_enhancer, deploy_enhancer,
                                     find_enhancer_cfg)
from mmllie.models.enhancers.builder import WRAPPER_TYPES
from mmllie.utils.mim_config import get_config_path
from .speed_report import write_report

_SEG = 'mmseg::mobilenet_v2/mobilenet-v2-d8_deeplabv3plus_4xb2-80k_' \
    'cityscapes-512x1024.py'
_POSE = 'mmpose::body_2d_keypoint/topdown_heatmap/coco/td-hm_res50_' \
    '8xb64-210e_coco-256x192.py'
_DET = 'mmdet::rtmdet/rtmdet_tiny_8xb32-300e_coco.py'
#: Preset recognizers: the paper's segmentation and pose models and the
#: lightest detector the configs ship (RTMDet-tiny).
RECOGNIZERS = {
    'deeplabv3plus': _SEG,
    'topdown-res50': _POSE,
    'rtmdet-tiny': _DET
}
#: ``--recognizer auto``: the preset of an input size (H, W); others
#: get DeepLabV3+.
AUTO_RECOGNIZER = {(256, 192): 'topdown-res50', (640, 640): 'rtmdet-tiny'}
#: Memory formats by name.
LAYOUTS = {'NCHW': torch.contiguous_format, 'NHWC': torch.channels_last}
#: Precisions by name.
DTYPES = {'fp32': torch.float32, 'bf16': torch.bfloat16, 'fp16': torch.float16}
#: The training recipe whose memory a CUDA run measures.
TRAIN_CONFIG = 'configs/segmentation/gpllie_deeplabv3plus-mbv2-d8_1xb8-' \
    '10k_nightcity-512x1024.py'
#: Enhancers named by a shipped config's variable: ``few-frames`` is the
#: few-frames recipe's enhancer, as the recipe builds it.
CONFIG_ENHANCERS = {
    'few-frames':
    ('mmllie::_base_/recipes/'
     'gpllie_few-frames_1xb2-300_day2night.py', 'few_frames_enhancer')
}
#: Enhancers every run compares the main one with: registered types or
#: :data:`CONFIG_ENHANCERS` names.
BASELINES = ('LightGPLLIE', 'few-frames', 'ZeroDCE', 'IALM')


def parse_size(text: str) -> Tuple[int, int]:
    """``'512x1024'`` → ``(512, 1024)`` (H, W)."""
    try:
        h, w = (int(v) for v in text.lower().split('x'))
        assert h > 0 and w > 0
    except (ValueError, AssertionError):
        raise SystemExit(f'--sizes: "{text}" is not HxW with positive '
                         'integers, e.g. 512x1024') from None
    return h, w


def auto_recognizer(size: Tuple[int, int]) -> str:
    """The preset recognizer of an input size."""
    return AUTO_RECOGNIZER.get(tuple(size), 'deeplabv3plus')


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
    backbone = model.get('backbone')
    if isinstance(backbone, dict) and backbone.get('init_cfg'):
        backbone['init_cfg'] = None  # no download of pretrained weights
    return model, pre, enhancer


class Pipeline(nn.Module):
    """``[enhancer] → host normalisation → [recognizer(x, mode='tensor')]``
    (the data preprocessor's own :class:`HostNormalization`).

    Args:
        enhancer (nn.Module, optional): The enhancer.
        recognizer (nn.Module, optional): The recognizer.
        host (dict): Its data preprocessor config (``mean``, ``std``).
        layout (str): Memory format the recognizer gets its input in,
            'NCHW' or 'NHWC'. Defaults to 'NCHW'.
    """

    def __init__(self,
                 enhancer: Optional[nn.Module],
                 recognizer: Optional[nn.Module],
                 host: dict,
                 layout: str = 'NCHW') -> None:
        super().__init__()
        self.enhancer, self.recognizer = enhancer, recognizer
        self.layout = LAYOUTS[layout]
        self.normalization = HostNormalization.from_host(host)

    def forward(self, x: torch.Tensor):
        if self.enhancer is not None:
            x = self.enhancer(x)
        x = x.contiguous(memory_format=self.layout)
        if self.recognizer is None:
            return x
        x = self.normalization.from_unit(x)
        return self.recognizer(x, None, mode='tensor')


def build_recognizer(cfg: Config) -> Tuple[nn.Module, dict]:
    """Frozen eval-mode recognizer (SyncBN → BN) and its host cfg."""
    model_cfg, host, _ = split_model_cfg(cfg)
    with DefaultScope.overwrite_default_scope(cfg.get('default_scope')):
        model = ROOT_MODELS.build(model_cfg)
    return revert_sync_batchnorm(model).eval().requires_grad_(False), host


def enhancer_label(cfg: dict) -> str:
    """The row name of an enhancer config: its ``label``, else its type."""
    return cfg.get('label') or cfg['type'].split('.')[-1]


def baseline_cfg(name: str) -> dict:
    """A registered enhancer type, or a :data:`CONFIG_ENHANCERS` name
    (labelled with it)."""
    if name not in CONFIG_ENHANCERS:
        return dict(type=name)
    path, key = CONFIG_ENHANCERS[name]
    cfg = Config.fromfile(get_config_path(path))[key]
    return dict(copy.deepcopy(cfg), label=name)


def build_frozen_enhancer(cfg: dict) -> nn.Module:
    """Build an mmllie enhancer (its ``label`` aside) in eval mode, without
    gradients."""
    cfg = {k: v for k, v in cfg.items() if k != 'label'}
    try:
        enhancer = build_enhancer(cfg)
    except KeyError as e:
        raise SystemExit(str(e)) from None
    return enhancer.eval().requires_grad_(False)


def randomize_(model: nn.Module, seed: int = 0, std: float = 0.05) -> None:
    """Random values for zero-initialised weights and BN statistics.

    Fresh GEM + PAM is the identity (zero-initialised output convs), which
    would make every output comparison pass trivially; this gives every
    all-zero parameter small random values and every BatchNorm random
    running statistics. In place.
    """
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            if not p.any():
                p.copy_(torch.randn(p.shape, generator=gen) * std)
        for m in model.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm) and \
                    m.running_mean is not None:
                m.running_mean.copy_(
                    torch.randn(m.running_mean.shape, generator=gen) * 0.1)
                m.running_var.copy_(
                    torch.rand(m.running_var.shape, generator=gen) + 0.5)


def count_flops(module: nn.Module, x: torch.Tensor) -> Tuple[int, list]:
    """FLOPs (1 multiply-add = 1 FLOP) and the ops that were not counted."""
    analyzer = FlopAnalyzer(module, (x, ))
    analyzer.unsupported_ops_warnings(False)
    analyzer.uncalled_modules_warnings(False)
    with torch.no_grad():
        return analyzer.total(), sorted(analyzer.unsupported_ops())


def time_rows(fns: Dict[str, Callable], x: torch.Tensor, warmup: int,
              repeats: int) -> Dict[str, List[float]]:
    """Round-robin timing (rotated order each round), milliseconds.

    ``fns[name](x)`` is one call; CUDA events time it on a GPU (the
    event pair brackets the call on the current stream and is waited
    for), ``time.perf_counter`` on a CPU.
    """
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
                    torch.cuda.synchronize()
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
    """Median, quartiles, range, mean and every sample."""
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


def bench_size(
    size: Tuple[int, int],
    recognizer: str,
    enhancers: List[dict],
    device: torch.device,
    batch_size: int = 1,
    warmup: int = 2,
    repeats: int = 10,
    options: Optional[dict] = None,
    profile: Sequence[str] = ()
) -> Dict[str, object]:
    """The float32 table of one input size: every row timed interleaved.

    Rows: the recognizer alone; per enhancer, the enhancer as trained
    (eager), its deploy copy (:func:`deploy_enhancer`: BN folded,
    channels_last) and the deploy copy followed by the recognizer.

    Args:
        size (tuple[int, int]): Input (H, W).
        recognizer (str): A :data:`RECOGNIZERS` name or a config.
        enhancers (list[dict]): Enhancer configs, the first is the main one.
        device (torch.device): Where to run.
        batch_size (int): Batch size. Defaults to 1.
        warmup (int): Untimed rounds. Defaults to 2.
        repeats (int): Timed rounds. Defaults to 10.
        options (dict, optional): Overrides of the recognizer's config.
        profile (tuple[str]): Rows to print a profiler table of.

    Returns:
        dict: ``size``, ``batch_size``, ``recognizer`` and ``rows``.
    """
    model, host = build_recognizer(load_config(recognizer, options))
    x = torch.rand(batch_size, 3, *size, device=device) * 0.1
    alone = Pipeline(None, model, host).to(device)
    rows = {'recognizer': (alone, None)}
    for cfg in enhancers:
        name = enhancer_label(cfg)
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
        f'{size[0]}x{size[1]}: timing {len(fns)} rows, {repeats} '
        'calls each...',
        file=sys.stderr,
        flush=True)
    times = time_rows(fns, x, warmup, repeats)
    for name in profile:
        if name not in fns:
            raise SystemExit(f'--profile: no row "{name}"; rows are '
                             f'{list(fns)}')
        profile_row(name, fns[name], x)
    med = {k: float(np.median(v)) for k, v in times.items()}
    low = {k: float(np.min(v)) for k, v in times.items()}
    out = []
    for label, (module, name) in rows.items():
        deploy = '(deploy)' in label
        row = dict(
            name=label,
            enhancer=name,
            deploy=deploy,
            with_recognizer=label.endswith('recognizer'),
            precision='fp32',
            layout='NHWC' if deploy and name else 'NCHW',
            params=sum(p.numel() for p in module.parameters()),
            flops=flops[label],
            unsupported_ops=skipped[label],
            latency_ms=summarise(times[label]),
            ratio_to_recognizer=med[label] / med['recognizer'],
            ratio_to_recognizer_min=low[label] / low['recognizer'])
        if label.endswith('+ recognizer'):
            row['overhead_ms'] = med[label] - med['recognizer']
        elif name and 'ZeroDCE' in rows:
            ref = 'ZeroDCE (deploy)' if deploy else 'ZeroDCE'
            row['ratio_to_zero_dce'] = med[label] / med[ref]
            row['ratio_to_zero_dce_min'] = low[label] / low[ref]
        out.append(row)
    return dict(
        size=list(size),
        batch_size=batch_size,
        recognizer=RECOGNIZERS.get(recognizer, recognizer),
        rows=out)


def environment(device: torch.device, flush_denormal: bool,
                argv: List[str]) -> dict:
    """Command, torch, device, threads and date of a run."""
    cpu = platform.processor()
    if osp.isfile('/proc/cpuinfo'):
        with open('/proc/cpuinfo') as f:
            cpu = next((ln.split(':', 1)[1].strip()
                        for ln in f if ln.startswith('model name')), cpu)
    return dict(
        command=' '.join(['python'] + argv),
        torch=torch.__version__,
        device=torch.cuda.get_device_name(device)
        if device.type == 'cuda' else cpu,
        cpu=cpu,
        threads=torch.get_num_threads(),
        mkldnn=torch.backends.mkldnn.is_available(),
        flush_denormal=flush_denormal,
        date=time.strftime('%Y-%m-%d %H:%M:%S'))


def enhancer_cfgs(enhancer: Optional[str] = None,
                  config: Optional[str] = None,
                  cfg_options: Optional[dict] = None,
                  baselines: Sequence[str] = BASELINES) -> List[dict]:
    """The enhancers of a run: the main one, then the ``baselines``.

    The main one is the registered ``enhancer``, else ``config``'s (an
    mmllie config), else GPLLIE; a baseline of its type is left out.
    """
    main_cfg = dict(type=enhancer) if enhancer else None
    if main_cfg is None and config:
        main_cfg = split_model_cfg(load_config(config, cfg_options))[2]
    main_cfg = main_cfg or dict(type='GPLLIE')
    short = enhancer_label(main_cfg)
    return [main_cfg] + [
        baseline_cfg(b) for b in baselines if b.split('.')[-1] != short
    ]


def run_speed_benchmark(sizes: Sequence[str],
                        enhancers: List[dict],
                        device: torch.device,
                        recognizer: str = 'auto',
                        config: Optional[str] = None,
                        cfg_options: Optional[dict] = None,
                        batch_size: int = 1,
                        warmup: int = 2,
                        repeats: int = 10,
                        profile: Sequence[str] = (),
                        flush_denormal: bool = True,
                        int8: bool = False,
                        threads: Optional[int] = None,
                        int8_accuracy: Optional[str] = None,
                        data_root: str = 'data/synthetic_city',
                        gpu_repeats: int = 100,
                        train_config: Optional[str] = TRAIN_CONFIG,
                        darkening: bool = True,
                        torch_compile: bool = True,
                        out: Optional[str] = None) -> dict:
    """Every table of ``tools/analysis_tools/benchmark.py``.

    Per size (``HxW``): the recognizer alone, each enhancer alone (eager
    and the deploy fast path of
    :func:`~mmllie.models.enhancers.deploy_enhancer`) and each deployed
    enhancer + recognizer, in float32 (:func:`bench_size`). The report is
    rewritten to ``out`` (:func:`write_report`) after every table.

    Args:
        sizes (Sequence[str]): Input sizes, ``HxW``.
        enhancers (list[dict]): Enhancer configs (:func:`enhancer_cfgs`).
        device (torch.device): Where everything runs.
        recognizer (str): ``'auto'`` (:func:`auto_recognizer`, or
            ``config`` when given), a :data:`RECOGNIZERS` name or a config.
        config (str, optional): The user's config (its recognizer, with
            ``cfg_options`` merged, for ``recognizer='auto'``).
        batch_size, warmup, repeats (int): Batch, untimed rounds, timed
            calls per row.
        profile (Sequence[str]): Rows to print a ``torch.profiler`` table
            of.
        flush_denormal (bool): Whether denormals are flushed (recorded).
        int8 (bool): Add ONNX Runtime float32 vs int8 rows (CPU,
            ``threads`` threads, default 1).
        int8_accuracy (str, optional): A synthetic-night work dir: score
            its int8 enhancers against PyTorch float32 on ``data_root``.
        gpu_repeats (int): CUDA: timed rounds of the variant tables
            (:mod:`mmllie.benchmarks.speed_gpu`).
        train_config (str, optional): CUDA: the recipe whose training-step
            memory is measured (``None`` or ``'none'``: skipped).
        darkening (bool): CUDA: time the on-device darkening.
        torch_compile (bool): CUDA: add the ``torch.compile`` rows.
        out (str, optional): JSON output.

    Returns:
        dict: The report.
    """

    def recognizer_of(size: Tuple[int, int]) -> str:
        if recognizer != 'auto':
            return recognizer
        return config or auto_recognizer(size)

    report = dict(
        env=dict(
            environment(device, flush_denormal, sys.argv),
            device_type=device.type),
        warmup=warmup,
        repeats=repeats,
        results=[])
    for size in map(parse_size, sizes):
        name = recognizer_of(size)
        options = cfg_options if name == config else None
        report['results'].append(
            bench_size(size, name, enhancers, device, batch_size, warmup,
                       repeats, options, tuple(profile)))
        write_report(report, out)
    no_ialm = [e for e in enhancers if 'IALM' not in e['type']]
    if int8:
        from .int8_onnx import bench_int8_latency
        report['int8'] = [
            bench_int8_latency(
                parse_size(t), no_ialm, threads or 1, warmup, repeats)
            for t in sizes
        ]
        write_report(report, out)
    if int8_accuracy:
        from .int8_onnx import evaluate_int8_synthetic
        report['int8_accuracy'] = evaluate_int8_synthetic(
            int8_accuracy, data_root=data_root)
        write_report(report, out)
    if device.type == 'cuda':
        _gpu_tables(report, sizes, enhancers, no_ialm, recognizer_of, device,
                    batch_size, gpu_repeats, train_config, darkening,
                    torch_compile, out)
    return report


def _gpu_tables(report: dict, sizes: Sequence[str], enhancers: List[dict],
                no_ialm: List[dict], recognizer_of: Callable, device,
                batch_size: int, repeats: int, train_config: Optional[str],
                darkening: bool, torch_compile: bool,
                out: Optional[str]) -> None:
    from . import speed_gpu
    report['gpu'] = []
    for size in map(parse_size, sizes):
        report['gpu'].append(
            speed_gpu.bench_gpu_variants(
                size,
                no_ialm,
                recognizer_of(size),
                str(device),
                batch_size,
                repeats=repeats))
        write_report(report, out)
    if train_config and train_config != 'none':
        report['train_memory'] = speed_gpu.bench_train_memory(
            train_config, device=str(device))
        write_report(report, out)
    if darkening:
        report['darkening'] = speed_gpu.bench_darkening(device=str(device))
        write_report(report, out)
    if torch_compile and sizes:  # slow: last, main + Zero-DCE
        size = parse_size(sizes[0])
        report['gpu'].append(
            speed_gpu.bench_gpu_variants(
                size, [enhancers[0], dict(type='ZeroDCE')],
                auto_recognizer(size),
                str(device),
                batch_size,
                repeats=repeats,
                enhancer_paths=speed_gpu.COMPILE_PATHS,
                recognizer_paths=(),
                pipeline=False))
        write_report(report, out)
