"""The speed report's Markdown: one table per measurement, values as
measured; JSON and Markdown written side by side."""
import json

from mmllie.benchmarks.speed_report import (darkening_markdown, to_markdown,
                                            train_memory_markdown,
                                            write_report)

ENV = dict(
    command='python tools/analysis_tools/benchmark.py',
    device='cpu',
    threads=2,
    torch='2',
    date='2026-12-05',
    flush_denormal=True)


def test_write_report_json_and_markdown(tmp_path):
    report = dict(env=ENV, warmup=0, repeats=1, results=[])
    out = tmp_path / 'bench' / 'speed.json'
    text = write_report(report, str(out))
    assert text.startswith(f'`{ENV["command"]}`')
    assert json.loads(out.read_text()) == report
    assert (tmp_path / 'bench' / 'speed.md').read_text() == text
    assert write_report(report) == text


def _latency(median):
    return dict(median=median, iqr=0.5, min=median - 1, max=median + 1)


def test_cpu_table_rows_and_ratios():
    row = dict(
        name='GPLLIE',
        layout='NCHW',
        params=577000,
        flops=2e9,
        latency_ms=_latency(20.),
        ratio_to_recognizer=0.25,
        ratio_to_recognizer_min=0.3,
        ratio_to_zero_dce=None)
    report = dict(
        env=ENV,
        warmup=1,
        repeats=3,
        results=[
            dict(
                size=[64, 128],
                batch_size=1,
                recognizer='deeplabv3plus',
                rows=[row])
        ])
    text = to_markdown(report)
    assert text.startswith('`python tools/analysis_tools/benchmark.py`')
    assert '### 64×128 (H×W), batch 1, fp32' in text
    # 2 GFLOPs in 20 ms: 100 GFLOP/s; no Zero-DCE ratio: empty cells
    assert '| GPLLIE | NCHW | 577,000 | 2.00 | 100.0 | 20.0 | 0.5 | ' \
        '19.0–21.0 | 0.250 |  | 0.300 |  |' in text
    assert 'Training step' not in text and 'Darkening' not in text


def test_train_memory_and_darkening_tables_in_the_report():
    memory = dict(
        config='cfg.py',
        batch_size=8,
        size=[512, 1024],
        rows=[
            dict(
                precision='fp32',
                amp_dtype='None',
                optim_wrapper='OptimWrapper',
                with_cp=False,
                layout='NCHW',
                step_ms=143.7,
                peak_gib=54.4,
                reserved_gib=56.0,
                finite=True),
            dict(
                precision='bf16',
                with_cp=True,
                layout='NHWC',
                error='OutOfMemoryError: CUDA out of memory')
        ])
    table = train_memory_markdown(memory)
    assert '| float32 | OptimWrapper | no | NCHW | 143.7 | 54.40 | ' \
        '56.00 | True |' in table
    assert '| bf16 | | True | NHWC | OutOfMemoryError' in table
    dark = dict(
        device='cuda:0',
        batch_size=8,
        size=[512, 1024],
        level='full',
        gpu_ms_per_image=0.0123,
        gpu_output_mean=0.05,
        cpu_ms_per_image=41.2,
        cpu_threads=2,
        cpu_output_mean=0.0501)
    text = to_markdown(
        dict(
            env=ENV,
            warmup=0,
            repeats=1,
            results=[],
            train_memory=memory,
            darkening=dark))
    assert table in text and darkening_markdown(dark) in text
    assert '| cuda:0, `BatchLowLightSynthesis`, batch 8 | 0.012 | 0.0500 |' \
        in text
