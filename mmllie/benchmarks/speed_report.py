"""The speed benchmark's report as JSON and Markdown.

What :func:`~mmllie.benchmarks.speed.run_speed_benchmark` and
:mod:`~mmllie.benchmarks.speed_gpu` measure, written by
:func:`write_report`; one Markdown function per table.
"""
import json
import os.path as osp
from typing import Optional

from mmengine.utils import mkdir_or_exist


def _ms(v: Optional[float], digits: int = 1) -> str:
    return '' if v is None else f'{v:.{digits}f}'


def to_markdown(report: dict) -> str:
    """The report's tables in Markdown."""
    env = report['env']
    gpu = str(env.get('device_type', 'cpu')) == 'cuda'
    digits = 3 if gpu else 1
    lines = [
        f'`{env["command"]}`', '',
        f'Device: {env["device"]}, {env["threads"]} CPU threads, torch '
        f'{env["torch"]}, denormals '
        f'{"flushed" if env["flush_denormal"] else "kept"}; '
        f'{report["warmup"]} warm-up rounds, '
        f'{report["repeats"]} timed calls per row (interleaved); '
        'FLOPs from mmengine FlopAnalyzer (1 multiply-add = 1 FLOP); '
        f'{env["date"]}.'
    ]
    for res in report['results']:
        h, w = res['size']
        lines += [
            '', f'### {h}×{w} (H×W), batch {res["batch_size"]}, fp32, '
            f'recognizer `{res["recognizer"]}`', '',
            '| Model | Layout | Params | GFLOPs | GFLOP/s | Median (ms) | '
            'IQR (ms) | Min–max (ms) | × recognizer | × Zero-DCE | '
            '× recognizer, mins | × Zero-DCE, mins |',
            '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|'
        ]
        for r in res['rows']:
            t, g = r['latency_ms'], r['flops'] / 1e9
            zd = r.get('ratio_to_zero_dce')
            zd_min = r.get('ratio_to_zero_dce_min')
            lines.append(f'| {r["name"]} | {r["layout"]} | {r["params"]:,} | '
                         f'{g:.2f} | {g / t["median"] * 1e3:.1f} | '
                         f'{t["median"]:.{digits}f} | {t["iqr"]:.{digits}f} | '
                         f'{t["min"]:.{digits}f}–{t["max"]:.{digits}f} | '
                         f'{r["ratio_to_recognizer"]:.3f} | '
                         f'{"" if zd is None else f"{zd:.3f}"} | '
                         f'{r["ratio_to_recognizer_min"]:.3f} | '
                         f'{"" if zd_min is None else f"{zd_min:.3f}"} |')
    for res in report.get('int8', []):
        lines += ['', int8_markdown(res)]
    if report.get('int8_accuracy'):
        lines += ['', int8_accuracy_markdown(report['int8_accuracy'])]
    for res in report.get('gpu', []):
        lines += ['', gpu_markdown(res)]
    if report.get('train_memory'):
        lines += ['', train_memory_markdown(report['train_memory'])]
    if report.get('darkening'):
        lines += ['', darkening_markdown(report['darkening'])]
    return '\n'.join(lines) + '\n'


def int8_markdown(res: dict) -> str:
    """The ONNX Runtime fp32 / int8 table of one size."""
    h, w = res['size']
    lines = [
        f'### ONNX Runtime, {h}×{w}, batch 1, {res["threads"]} threads: '
        'float32 vs int8 (static QDQ, per-channel weights)', '',
        '| Model | Precision | Median (ms) | IQR (ms) | × fp32 | '
        'rel. error vs PyTorch fp32 |', '|---|---|--:|--:|--:|--:|'
    ]
    for r in res['rows']:
        t = r['latency_ms']
        lines.append(f'| {r["name"]} | {r["precision"]} | '
                     f'{t["median"]:.1f} | {t["iqr"]:.1f} | '
                     f'{r["ratio_to_fp32"]:.3f} | {r["rel_error"]:.2e} |')
    return '\n'.join(lines)


def int8_accuracy_markdown(res: dict) -> str:
    """mIoU of PyTorch float32 vs ONNX Runtime int8 enhancers."""
    lines = [
        f'### int8 accuracy: generated city, {res["level"]} (mIoU, '
        f'{res["calibration_images"]} calibration images)', '',
        '| Enhancer | Seed | PyTorch fp32 | ONNX int8 | int8 − fp32 |',
        '|---|--:|--:|--:|--:|'
    ]
    for r in res['rows']:
        fp32, int8 = r.get('fp32'), r.get('int8')
        diff = '' if fp32 is None or int8 is None else f'{int8 - fp32:+.2f}'
        lines.append(f'| {r["setting"]} | {r["seed"]} | {_ms(fp32, 2)} | '
                     f'{_ms(int8, 2)} | {diff} |')
    return '\n'.join(lines)


def gpu_markdown(res: dict) -> str:
    """The table of GPU variants of one size."""
    h, w = res['size']
    lines = [
        f'### GPU variants, {h}×{w} (H×W), batch {res["batch_size"]}, '
        f'recognizer `{res["recognizer"]}`', '',
        '| Model | Precision | Layout | Path | Median (ms) | IQR (ms) | '
        '× Zero-DCE (same path) | rel. error vs fp32 eager | Note |',
        '|---|---|---|---|--:|--:|--:|--:|---|'
    ]
    for r in res['rows']:
        t = r.get('latency_ms') or {}
        err = r.get('rel_error')
        lines.append(f'| {r["model"]} | {r["precision"]} | {r["layout"]} | '
                     f'{r["path"]} | {_ms(t.get("median"), 3)} | '
                     f'{_ms(t.get("iqr"), 3)} | '
                     f'{_ms(r.get("ratio_to_zero_dce"), 3)} | '
                     f'{"" if err is None else f"{err:.1e}"} | '
                     f'{r.get("error", "")} |')
    return '\n'.join(lines)


def train_memory_markdown(res: dict) -> str:
    """The table of :func:`bench_train_memory`."""
    h, w = res['size']
    lines = [
        f'### Training step, `{res["config"]}`, batch {res["batch_size"]} '
        f'at {h}×{w}', '',
        '| Precision | Optimizer wrapper | Backbone checkpointing | Layout | '
        'Step (ms) | Peak allocated (GiB) | Peak reserved (GiB) | '
        'Losses finite |', '|---|---|---|---|--:|--:|--:|---|'
    ]
    for r in res['rows']:
        if 'error' in r:
            lines.append(f'| {r["precision"]} | | {r["with_cp"]} | '
                         f'{r["layout"]} | {r["error"]} | | | |')
            continue
        prec = r['amp_dtype'].replace('torch.', '') \
            if r['amp_dtype'] != 'None' else 'float32'
        lines.append(f'| {prec} | {r["optim_wrapper"]} | '
                     f'{"yes" if r["with_cp"] else "no"} | {r["layout"]} | '
                     f'{r["step_ms"]:.1f} | {r["peak_gib"]:.2f} | '
                     f'{r["reserved_gib"]:.2f} | {r["finite"]} |')
    return '\n'.join(lines)


def darkening_markdown(res: dict) -> str:
    """The table of :func:`bench_darkening`."""
    h, w = res['size']
    return '\n'.join([
        f'### Darkening ({res["level"]}), {h}×{w}', '',
        '| Where | ms per image | output mean |', '|---|--:|--:|',
        f'| {res["device"]}, `BatchLowLightSynthesis`, batch '
        f'{res["batch_size"]} | '
        f'{res["gpu_ms_per_image"]:.3f} | {res["gpu_output_mean"]:.4f} |',
        f'| CPU, `LowLightSynthesis` transform, one image per call '
        f'({res["cpu_threads"]} threads) | {res["cpu_ms_per_image"]:.1f} | '
        f'{res["cpu_output_mean"]:.4f} |'
    ])


def write_report(report: dict, out: Optional[str] = None) -> str:
    """Write ``report`` as JSON to ``out`` and its Markdown next to it
    (``.md`` suffix); ``out=None`` writes nothing. Returns the Markdown."""
    text = to_markdown(report)
    if out:
        mkdir_or_exist(osp.dirname(osp.abspath(out)))
        with open(out, 'w') as f:
            json.dump(report, f, indent=1, default=float)
        with open(osp.splitext(out)[0] + '.md', 'w') as f:
            f.write(text)
    return text
