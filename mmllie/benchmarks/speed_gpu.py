"""GPU measurements of ``tools/analysis_tools/benchmark.py --device cuda``.

* :func:`bench_gpu_variants`: every enhancer and the recognizer in each
  precision (fp32 / bf16 / fp16), memory layout (NCHW / NHWC) and path
  (eager, deploy, CUDA graph, zero-padded widths, ``torch.compile``), timed
  interleaved with CUDA events, each output compared with the fp32 eager
  model's.
* :func:`bench_train_memory`: peak memory and time of a config's full
  training step (enhancer trained through the frozen recognizer), in fp32
  and with its optimizer wrapper's mixed precision, with and without
  activation checkpointing of the recognizer's backbone.
* :func:`bench_darkening`: the batched on-device darkening against the
  per-image CPU transform.
"""
import copy
import statistics
import sys
import time
import traceback
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn

from mmllie.models.enhancers import CUDAGraphModule, deploy_enhancer
from .speed import (DTYPES, LAYOUTS, RECOGNIZERS, Pipeline,
                    build_frozen_enhancer, build_recognizer, enhancer_label,
                    load_config, randomize_, summarise, time_rows)

#: (precision, layout, path) of the enhancer rows, in table order. Path:
#: 'eager' (as trained), 'deploy' (BN folded), '+graph' (one CUDA graph
#: replay), '+pad8' (widths zero-padded to multiples of 8, PAM only),
#: '+compile' (torch.compile, max-autotune, then a CUDA graph).
ENHANCER_PATHS = (
    ('fp32', 'NCHW', 'eager'),
    ('fp32', 'NCHW', 'deploy'),
    ('fp32', 'NHWC', 'deploy'),
    ('fp32', 'NCHW', 'deploy+graph'),
    ('fp32', 'NHWC', 'deploy+graph'),
    ('bf16', 'NHWC', 'deploy'),
    ('bf16', 'NHWC', 'deploy+graph'),
    ('fp16', 'NCHW', 'deploy+graph'),
    ('fp16', 'NHWC', 'deploy+graph'),
    ('bf16', 'NHWC', 'deploy+pad8+graph'),
    ('fp16', 'NHWC', 'deploy+pad8+graph'),
)
#: The ``torch.compile`` rows (timed in a pass of their own, after every
#: other row, with the fastest graph row as the in-run reference).
COMPILE_PATHS = (
    ('fp16', 'NHWC', 'deploy+pad8+graph'),
    ('fp16', 'NHWC', 'deploy+pad8+compile'),
)
#: (precision, layout, path) of the recognizer rows.
RECOGNIZER_PATHS = (
    ('fp32', 'NCHW', 'eager'),
    ('fp32', 'NHWC', 'eager'),
    ('fp32', 'NCHW', 'graph'),
    ('fp32', 'NHWC', 'graph'),
    ('bf16', 'NCHW', 'graph'),
    ('bf16', 'NHWC', 'graph'),
    ('fp16', 'NCHW', 'graph'),
    ('fp16', 'NHWC', 'graph'),
)


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _first_tensor(out) -> torch.Tensor:
    while isinstance(out, (list, tuple)):
        out = out[0]
    return out


def rel_error(out, ref) -> float:
    """``‖out − ref‖ / ‖ref‖`` over every tensor of the outputs (float64)."""
    outs = [
        t for t in torch.utils._pytree.tree_leaves(out)
        if isinstance(t, torch.Tensor)
    ]
    refs = [
        t for t in torch.utils._pytree.tree_leaves(ref)
        if isinstance(t, torch.Tensor)
    ]
    num = sum(((a.double() - b.double())**2).sum() for a, b in zip(outs, refs))
    den = sum((b.double()**2).sum() for b in refs)
    return float((num / den.clamp(min=1e-30)).sqrt())


def enhancer_variant(eager: nn.Module, precision: str, layout: str, path: str,
                     x: torch.Tensor) -> Callable:
    """A callable of one enhancer row (its input already converted)."""
    dtype, fmt = DTYPES[precision], LAYOUTS[layout]
    if path == 'eager':
        module = copy.deepcopy(eager).to(dtype=dtype, memory_format=fmt)
    else:
        module = deploy_enhancer(
            eager,
            channels_last=layout == 'NHWC',
            dtype=dtype,
            pad_channels=8 if '+pad8' in path else None)
    if '+compile' in path:
        module = torch.compile(
            module, mode='max-autotune-no-cudagraphs', dynamic=False)
    if '+graph' in path or '+compile' in path:
        module = CUDAGraphModule(module, x, clone=False)
    return module


def recognizer_variant(model: nn.Module, host: dict, precision: str,
                       layout: str, path: str, x: torch.Tensor) -> Callable:
    """A callable of one recognizer row (host mean/std + recognizer)."""
    module = Pipeline(None, copy.deepcopy(model), host, layout)
    module = module.to(
        device=x.device,
        dtype=DTYPES[precision],
        memory_format=LAYOUTS[layout])
    if path == 'graph':
        module = CUDAGraphModule(module, x, clone=False)
    return module


def _input(x: torch.Tensor, precision: str, layout: str) -> torch.Tensor:
    return x.to(DTYPES[precision]).contiguous(memory_format=LAYOUTS[layout])


def bench_gpu_variants(size: Tuple[int, int],
                       enhancers: List[dict],
                       recognizer: str = 'deeplabv3plus',
                       device: str = 'cuda',
                       batch_size: int = 1,
                       warmup: int = 10,
                       repeats: int = 50,
                       enhancer_paths: Sequence[Tuple[str, str,
                                                      str]] = ENHANCER_PATHS,
                       recognizer_paths: Sequence[Tuple[
                           str, str, str]] = RECOGNIZER_PATHS,
                       pipeline: bool = True) -> dict:
    """Time every enhancer and recognizer variant on a CUDA device.

    Every variant is built from the same random weights (zero-initialised
    weights randomised, :func:`randomize_`), run once on the same input
    and compared with the fp32 eager output (relative L2 error); then all
    variants are timed interleaved, one call per row per round. A row that
    fails to build (e.g. ``torch.compile`` without a compiler) reports its
    error instead of a time.

    Args:
        size (tuple[int, int]): Input (H, W).
        enhancers (list[dict]): Enhancer configs; a 'ZeroDCE' among them
            is the reference of the ``× Zero-DCE`` column.
        recognizer (str): A preset name or a config.
        device (str): A CUDA device. Defaults to 'cuda'.
        batch_size (int): Defaults to 1.
        warmup (int): Untimed rounds. Defaults to 10.
        repeats (int): Timed rounds. Defaults to 50.
        enhancer_paths (Sequence[tuple]): (precision, layout, path) rows
            of each enhancer; '+pad8' rows of an enhancer without PAM run
            unpadded ('+compile' ones) or not at all. Defaults to
            :data:`ENHANCER_PATHS` (:data:`COMPILE_PATHS`: the compile
            pass).
        recognizer_paths (Sequence[tuple]): Rows of the recognizer.
            Defaults to :data:`RECOGNIZER_PATHS`.
        pipeline (bool): Include enhancer + recognizer rows (fastest
            enhancer path, recognizer in each layout). Defaults to True.

    Returns:
        dict: ``size``, ``batch_size``, ``recognizer`` and ``rows``.
    """
    device = torch.device(device)
    gen = torch.Generator(device=device).manual_seed(0)
    x = torch.rand(batch_size, 3, *size, device=device, generator=gen) * 0.1
    rows: List[dict] = []
    fns: Dict[str, Callable] = {}
    inputs: Dict[str, torch.Tensor] = {}

    def add(row: dict, build: Callable, ref: Optional[torch.Tensor],
            inp: torch.Tensor) -> None:
        key = f'{row["model"]} {row["precision"]} {row["layout"]} ' \
            f'{row["path"]}'
        row['key'] = key
        rows.append(row)
        start = time.perf_counter()
        try:
            with torch.no_grad():
                fn = build()
                out = fn(inp)
                if ref is not None:
                    row['rel_error'] = rel_error(
                        _first_tensor(out).float(),
                        _first_tensor(ref).float())
        except Exception as e:  # one failed path must not lose the others
            row['error'] = f'{type(e).__name__}: {str(e).splitlines()[0]}'
            traceback.print_exc()
            _log(f'  {key}: FAILED {row["error"]}')
            if device.type == 'cuda':
                torch.cuda.synchronize(device)
            return
        row['build_s'] = time.perf_counter() - start
        fns[key], inputs[key] = fn, inp
        _log(f'  {key}: built in {row["build_s"]:.1f} s, rel. error '
             f'{row.get("rel_error", float("nan")):.1e}')

    fast = {}
    for cfg in enhancers:
        name = enhancer_label(cfg)
        eager = build_frozen_enhancer(cfg)
        randomize_(eager)
        eager = eager.to(device)
        with torch.no_grad():
            ref = eager(x)
        has_pam = any(hasattr(m, 'encoders') for m in eager.modules())
        for precision, layout, path in enhancer_paths:
            if '+pad8' in path and not has_pam:
                if '+compile' not in path and any('+compile' in p[2]
                                                  for p in enhancer_paths):
                    path = path.replace('+pad8', '')
                elif '+compile' not in path:
                    continue
                else:
                    path = path.replace('+pad8', '')
            inp = _input(x, precision, layout)
            add(
                dict(
                    model=name,
                    precision=precision,
                    layout=layout,
                    path=path,
                    enhancer=name),
                lambda: enhancer_variant(eager, precision, layout, path, inp),
                ref, inp)
        fast[name] = eager
    if recognizer_paths or pipeline:
        model, host = build_recognizer(load_config(recognizer))
        randomize_(model)
        model = model.to(device)
    rec_ref = None
    if recognizer_paths:
        with torch.no_grad():
            rec_ref = Pipeline(None, model, host).to(device)(x)
    for precision, layout, path in recognizer_paths:
        inp = _input(x, precision, layout)
        add(
            dict(
                model='recognizer',
                precision=precision,
                layout=layout,
                path=path), lambda: recognizer_variant(
                    model, host, precision, layout, path, inp), rec_ref, inp)
    if pipeline:
        for name, eager in fast.items():
            for precision in ('fp32', 'bf16', 'fp16'):
                for layout in ('NCHW', 'NHWC'):
                    inp = _input(x, precision, 'NHWC')

                    def build(eager=eager,
                              precision=precision,
                              layout=layout,
                              inp=inp):
                        enh = deploy_enhancer(eager, dtype=DTYPES[precision])
                        pipe = Pipeline(enh, copy.deepcopy(model), host,
                                        layout).to(device)
                        pipe.recognizer.to(
                            dtype=DTYPES[precision],
                            memory_format=LAYOUTS[layout])
                        return CUDAGraphModule(pipe, inp, clone=False)

                    with torch.no_grad():
                        ref = Pipeline(eager, model, host).to(device)(x)
                    add(
                        dict(
                            model=f'{name} + recognizer',
                            precision=precision,
                            layout=f'NHWC → {layout}',
                            path='deploy+graph',
                            enhancer=name,
                            recognizer_layout=layout), build, ref, inp)
    _log(f'{size[0]}x{size[1]}: timing {len(fns)} GPU rows, {repeats} '
         'rounds...')
    times = time_rows({k: (lambda _x, k=k: fns[k](inputs[k]))
                       for k in fns}, x, warmup, repeats)
    med = {k: float(np.median(v)) for k, v in times.items()}
    for row in rows:
        if row['key'] in times:
            row['latency_ms'] = summarise(times[row['key']])
    for row in rows:
        ref_key = f'ZeroDCE {row["precision"]} {row["layout"]} ' \
            f'{row["path"].replace("+pad8", "")}'
        if row.get('enhancer') and row['key'] in med and ref_key in med \
                and row['model'] != 'ZeroDCE' and '+ recognizer' not in \
                row['model']:
            row['ratio_to_zero_dce'] = med[row['key']] / med[ref_key]
    return dict(
        size=list(size),
        batch_size=batch_size,
        recognizer=RECOGNIZERS.get(recognizer, recognizer),
        rows=rows)


def best_rows(res: dict) -> Dict[str, dict]:
    """The fastest row of each model of a :func:`bench_gpu_variants`."""
    best: Dict[str, dict] = {}
    for r in res['rows']:
        if 'latency_ms' not in r:
            continue
        cur = best.get(r['model'])
        if cur is None or r['latency_ms']['median'] < cur['latency_ms'][
                'median']:
            best[r['model']] = r
    return best


# ---------------------------------------------------------------------------
# training memory


def _seg_batch(n: int, h: int, w: int, classes: int,
               gen: torch.Generator) -> dict:
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample
    samples = []
    for _ in range(n):
        s = SegDataSample(
            gt_sem_seg=PixelData(
                data=torch.randint(0, classes, (1, h, w), generator=gen)))
        s.set_metainfo(
            dict(img_shape=(h, w), pad_shape=(h, w), ori_shape=(h, w)))
        samples.append(s)
    imgs = [(torch.rand(3, h, w, generator=gen) * 60).byte() for _ in range(n)]
    return dict(inputs=imgs, data_samples=samples)


def bench_train_memory(config: str,
                       variants: Sequence[Tuple[str, bool,
                                                bool]] = (('fp32', False,
                                                           False),
                                                          ('config', False,
                                                           False), ('config',
                                                                    False,
                                                                    True),
                                                          ('config', True,
                                                           False), ('fp32',
                                                                    True,
                                                                    False)),
                       batch_size: Optional[int] = None,
                       size: Optional[Tuple[int, int]] = None,
                       steps: int = 6,
                       device: str = 'cuda') -> dict:
    """Peak memory and time of full training steps of an mmseg config.

    Each variant builds the config's model (random recognizer, frozen by
    :func:`~mmllie.models.frozen.freeze_recognizer`) and optimizer wrapper
    and runs ``steps`` of ``model.train_step`` (data preprocessor with the
    enhancer → recognizer loss → backward → Adam) on random images and
    labels; peak = ``torch.cuda.max_memory_allocated`` over the steps
    after the first (and ``max_memory_reserved``, what the allocator held).

    Args:
        config (str): An mmseg enhancer config.
        variants (Sequence[tuple[str, bool, bool]]): (precision,
            checkpointing, channels_last): precision 'fp32'
            (``OptimWrapper``) or 'config' (the config's own wrapper,
            ``mmllie.AutoAmpOptimWrapper`` in the shipped recipes);
            checkpointing sets the recognizer backbone's ``with_cp``;
            channels_last the ``GlobalPixelwiseEnhancer``'s.
        batch_size (int, optional): Defaults to the config's.
        size (tuple[int, int], optional): (H, W); defaults to the config's
            ``crop_size``.
        steps (int): Training steps per variant. Defaults to 6.
        device (str): Defaults to 'cuda'.

    Returns:
        dict: ``config``, ``batch_size``, ``size`` and ``rows``.
    """
    from mmengine.config import Config
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import MODELS, init_default_scope

    from mmllie.models.frozen import (freeze_recognizer,
                                      mark_recognizer_frozen,
                                      set_recognizer_eval)
    cfg = Config.fromfile(config)
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    n = batch_size or cfg.train_dataloader.batch_size
    h, w = size or tuple(cfg.get('crop_size', (512, 1024)))
    classes = cfg.model.decode_head.num_classes
    rows = []
    for precision, with_cp, channels_last in variants:
        model_cfg = copy.deepcopy(cfg.model)
        model_cfg.data_preprocessor.channels_last = channels_last
        if model_cfg.get('auxiliary_head'):
            model_cfg.auxiliary_head = None
        model_cfg.backbone.with_cp = with_cp
        model_cfg.backbone.init_cfg = None
        model_cfg.pop('pretrained', None)
        optim_cfg = copy.deepcopy(cfg.optim_wrapper)
        if precision == 'fp32':
            optim_cfg = dict(
                type='OptimWrapper', optimizer=optim_cfg.optimizer)
        row = dict(
            precision=precision,
            with_cp=with_cp,
            layout='NHWC' if channels_last else 'NCHW')
        rows.append(row)
        torch.cuda.empty_cache()
        try:
            model = MODELS.build(model_cfg)
            from mmengine.model import revert_sync_batchnorm
            model = revert_sync_batchnorm(model).to(device)
            freeze_recognizer(model)
            mark_recognizer_frozen(model)
            set_recognizer_eval(model)
            optim = build_optim_wrapper(model, optim_cfg)
            row['optim_wrapper'] = type(optim).__name__
            row['amp_dtype'] = str(getattr(optim, 'cast_dtype', None))
            gen = torch.Generator().manual_seed(0)
            times, peaks, reserved, losses = [], [], [], []
            for step in range(steps):
                data = _seg_batch(n, h, w, classes, gen)
                torch.cuda.synchronize()
                torch.cuda.reset_peak_memory_stats()
                start = time.perf_counter()
                log = model.train_step(data, optim)
                torch.cuda.synchronize()
                if step:
                    times.append((time.perf_counter() - start) * 1e3)
                    peaks.append(torch.cuda.max_memory_allocated())
                    reserved.append(torch.cuda.max_memory_reserved())
                losses.append(float(torch.as_tensor(log['loss']).detach()))
            row.update(
                step_ms=statistics.median(times),
                peak_gib=max(peaks) / 2**30,
                reserved_gib=max(reserved) / 2**30,
                losses=losses,
                finite=all(np.isfinite(losses)))
            _log(f'  train {precision} with_cp={with_cp} {row["layout"]}: '
                 f'{row["step_ms"]:.1f} ms, peak {row["peak_gib"]:.2f} GiB '
                 f'(reserved {row["reserved_gib"]:.2f})')
            del model, optim
        except Exception as e:
            row['error'] = f'{type(e).__name__}: {str(e).splitlines()[0]}'
            traceback.print_exc()
        torch.cuda.empty_cache()
    return dict(config=config, batch_size=n, size=[h, w], rows=rows)


# ---------------------------------------------------------------------------
# darkening


def bench_darkening(batch_size: int = 8,
                    size: Tuple[int, int] = (512, 1024),
                    level: str = 'full',
                    repeats: int = 20,
                    cpu_images: int = 8,
                    device: str = 'cuda') -> dict:
    """Batched on-device darkening vs the per-image CPU transform.

    Times :class:`mmllie.BatchLowLightSynthesis` (rounded to uint8 levels,
    as the labelled recipe sets it) on a ``batch_size`` batch on
    ``device`` (synchronised wall clock, median of ``repeats``) and the
    pipeline transform ``mmllie.LowLightSynthesis`` (numpy, one image per
    call, in this process) on ``cpu_images`` images; compares the mean
    brightness of both outputs on the same inputs.

    Returns:
        dict: Milliseconds per image of each, and the output means.
    """
    from mmllie.models.darkening import BatchLowLightSynthesis
    from mmllie.registry import TRANSFORMS
    dev = torch.device(device)
    gen = torch.Generator().manual_seed(0)
    imgs = torch.rand(batch_size, 3, *size, generator=gen)
    dark = BatchLowLightSynthesis(level=level, seed=0, to_uint8=True)
    x = imgs.to(dev)
    sync = torch.cuda.synchronize if dev.type == 'cuda' else (lambda: None)
    with torch.no_grad():
        for _ in range(3):
            dark(x)
        times = []
        for _ in range(repeats):
            sync()
            start = time.perf_counter()
            out = dark(x)
            sync()
            times.append((time.perf_counter() - start) * 1e3)
    gpu_mean = float(out.mean())
    transform = TRANSFORMS.build(
        dict(type='mmllie.LowLightSynthesis', level=level))
    cpu_times, cpu_means = [], []
    for i in range(cpu_images):
        img = (imgs[i % batch_size].permute(1, 2, 0).numpy()[..., ::-1] *
               255).astype(np.uint8)  # BGR uint8 as loaded
        start = time.perf_counter()
        res = transform(dict(img=img.copy()))
        cpu_times.append((time.perf_counter() - start) * 1e3)
        cpu_means.append(
            float(np.asarray(res['img'], np.float64).mean()) / 255)
    med = statistics.median(times)
    return dict(
        device=str(dev),
        batch_size=batch_size,
        size=list(size),
        level=level,
        gpu_batch_ms=med,
        gpu_ms_per_image=med / batch_size,
        cpu_ms_per_image=statistics.median(cpu_times),
        cpu_threads=torch.get_num_threads(),
        gpu_output_mean=gpu_mean,
        cpu_output_mean=float(np.mean(cpu_means)))
