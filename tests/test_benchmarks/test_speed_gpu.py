"""GPU variant table, training memory and darkening rows (CPU-runnable
parts run everywhere; CUDA-only ones skip without CUDA)."""
import pytest
import torch

from mmllie.benchmarks import speed_gpu
from mmllie.benchmarks.speed_report import darkening_markdown, gpu_markdown


def test_rel_error():
    a = torch.tensor([3.0, 4.0])
    assert speed_gpu.rel_error(a, a) == 0
    assert speed_gpu.rel_error(a * 1.01, a) == pytest.approx(0.01)
    assert speed_gpu.rel_error((a, [a * 2]), (a, [a])) == pytest.approx(
        (25 / 50)**0.5)


def test_variants_compared_with_eager_and_failures_kept():
    """Every row is checked against fp32 eager; a path that cannot run
    here (a CUDA graph on a CPU) reports its error, the others are timed."""
    res = speed_gpu.bench_gpu_variants(
        (32, 64),
        [dict(type='GPLLIE'), dict(type='ZeroDCE')],
        device='cpu',
        warmup=0,
        repeats=2,
        enhancer_paths=(('fp32', 'NCHW', 'eager'), ('fp32', 'NHWC', 'deploy'),
                        ('bf16', 'NHWC', 'deploy'), ('fp32', 'NHWC',
                                                     'deploy+pad8+graph')),
        recognizer_paths=(('fp32', 'NCHW', 'eager'), ('fp32', 'NHWC',
                                                      'eager')),
        pipeline=False)
    rows = {r['key']: r for r in res['rows']}
    assert 'ZeroDCE fp32 NHWC deploy+pad8+graph' not in rows  # no PAM
    failed = rows['GPLLIE fp32 NHWC deploy+pad8+graph']
    assert 'CUDA device' in failed['error'] and 'latency_ms' not in failed
    for key, r in rows.items():
        if 'error' in r:
            continue
        assert r['latency_ms']['median'] > 0, key
        bound = 3e-2 if r['precision'] == 'bf16' else 1e-5
        assert r['rel_error'] < bound, key
    assert rows['GPLLIE fp32 NCHW eager']['rel_error'] == 0
    assert rows['GPLLIE fp32 NHWC deploy']['ratio_to_zero_dce'] > 0
    assert speed_gpu.best_rows(res)['recognizer']['model'] == 'recognizer'
    table = gpu_markdown(res)
    assert table.count('\n| ') == len(res['rows']) + 1
    assert 'RuntimeError' in table or 'ValueError' in table


def test_darkening_rows():
    res = speed_gpu.bench_darkening(
        batch_size=2, size=(32, 48), repeats=2, cpu_images=2, device='cpu')
    assert res['gpu_ms_per_image'] > 0 and res['cpu_ms_per_image'] > 0
    # both darken a mid-grey random image
    assert 0 < res['gpu_output_mean'] < 0.5
    assert 0 < res['cpu_output_mean'] < 0.5
    assert '| cpu, `BatchLowLightSynthesis`' in darkening_markdown(res)


@pytest.mark.skipif(
    not torch.cuda.is_available(), reason='needs a CUDA device')
def test_train_memory_on_cuda():
    res = speed_gpu.bench_train_memory(
        'configs/segmentation/gpllie_deeplabv3plus-mbv2-d8_1xb8-10k_'
        'nightcity-512x1024.py',
        variants=(('fp32', False, False), ('config', True, False)),
        batch_size=2,
        size=(64, 128),
        steps=2)
    fp32, amp = res['rows']
    assert fp32['finite'] and amp['finite']
    assert amp['optim_wrapper'] == 'AmpOptimWrapper'
    assert amp['peak_gib'] < fp32['peak_gib']
