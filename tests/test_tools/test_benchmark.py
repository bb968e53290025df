"""tools/analysis_tools/benchmark.py, run as a user would (tiny sizes)."""
import json
import math
import os.path as osp
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(REPO, 'tools', 'analysis_tools', 'benchmark.py')

POSE_CONFIG = """
default_scope = 'mmpose'
custom_imports = dict(imports=['mmllie'], allow_failed_imports=False)
model = dict(
    type='TopdownPoseEstimator',
    data_preprocessor=dict(
        type='mmllie.GlobalPixelwiseEnhancer',
        host=dict(type='PoseDataPreprocessor', mean=[123.675, 116.28,
                  103.53], std=[58.395, 57.12, 57.375], bgr_to_rgb=True),
        enhancer=dict(type='GPLLIE', use_pam=False)),
    backbone=dict(type='ResNet', depth=18, base_channels=16, init_cfg=None),
    head=dict(type='HeatmapHead', in_channels=128, out_channels=5,
              deconv_out_channels=(16, 16), deconv_kernel_sizes=(4, 4),
              loss=dict(type='KeypointMSELoss'),
              decoder=dict(type='MSRAHeatmap', input_size=(32, 32),
                           heatmap_size=(8, 8), sigma=1)),
    test_cfg=dict(flip_test=False))
"""


def run_tool(*args):
    proc = subprocess.run([sys.executable, TOOL, *args],
                          cwd=REPO,
                          capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def finite_positive(value) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value) \
        and value > 0


def check_rows(rows, names):
    assert [r['name'] for r in rows] == names
    by_name = {r['name']: r for r in rows}
    for r in rows:
        t = r['latency_ms']
        assert len(t['samples']) == 2, r['name']
        for v in (r['params'], r['flops'], t['median'], t['min'], t['max'],
                  r['ratio_to_recognizer']):
            assert finite_positive(v), (r['name'], v)
        assert t['min'] <= t['median'] <= t['max']
        assert math.isfinite(t['iqr']) and t['iqr'] >= 0
        if r['name'].endswith('+ recognizer'):
            enhancer = by_name[r['name'][:-len(' + recognizer')]]
            assert r[
                'flops'] == enhancer['flops'] + by_name['recognizer']['flops']
            assert r['params'] == enhancer['params'] + by_name['recognizer'][
                'params']
    return by_name


def test_default_recognizer_and_baselines(tmp_path):
    out = tmp_path / 'bench.json'
    stdout = run_tool('--sizes', '64x64', '--repeats', '2', '--warmup', '1',
                      '--out', str(out)).stdout
    report = json.loads(out.read_text())
    assert report['env']['threads'] >= 1 and report['repeats'] == 2
    (res, ) = report['results']
    assert res['size'] == [64, 64]
    assert 'deeplabv3plus' in res['recognizer']
    names = ['recognizer']
    for e in ('GPLLIE', 'LightGPLLIE', 'few-frames', 'ZeroDCE', 'IALM'):
        names += [e, f'{e} (deploy)', f'{e} (deploy) + recognizer']
    rows = check_rows(res['rows'], names)
    assert rows['GPLLIE']['params'] == 577_963
    assert rows['LightGPLLIE']['params'] == 577_963
    # the few-frames recipe's enhancer, as the recipe config builds it: a
    # 2-16-4 head, the prior's weight and the guided filter's eps (its blurs
    # and box filters are elementwise sums FlopAnalyzer does not count)
    assert rows['few-frames']['params'] == 118
    assert rows['few-frames']['flops'] < \
        rows['GPLLIE']['flops'] / 100
    # PAM at 1/4 resolution: a sixteenth of PAM's FLOPs
    assert rows['LightGPLLIE']['flops'] < rows['GPLLIE']['flops'] / 8
    assert rows['GPLLIE (deploy)']['layout'] == 'NHWC'
    assert rows['recognizer']['precision'] == 'fp32'
    assert rows['ZeroDCE']['ratio_to_zero_dce'] == 1.0
    assert finite_positive(rows['GPLLIE (deploy)']['ratio_to_zero_dce'])
    # the deploy path has the same FLOPs up to the folded BatchNorms
    assert abs(rows['GPLLIE (deploy)']['flops'] / rows['GPLLIE']['flops'] -
               1) < 0.05
    table = (tmp_path / 'bench.md').read_text()
    assert table in stdout and table.count('\n| ') == len(names) + 1


def test_config_gives_enhancer_and_recognizer(tmp_path):
    cfg = tmp_path / 'pose_gem_only.py'
    cfg.write_text(POSE_CONFIG)
    out = tmp_path / 'bench.json'
    proc = run_tool('--config', str(cfg), '--sizes', '48x32', '--baselines',
                    'ZeroDCE', '--repeats', '2', '--warmup', '0', '--out',
                    str(out), '--profile', 'GPLLIE (deploy)')
    assert 'Profile of "GPLLIE (deploy)"' in proc.stderr
    assert 'aten::' in proc.stderr
    (res, ) = json.loads(out.read_text())['results']
    assert res['recognizer'] == str(cfg)
    names = ['recognizer']
    for e in ('GPLLIE', 'ZeroDCE'):
        names += [e, f'{e} (deploy)', f'{e} (deploy) + recognizer']
    rows = check_rows(res['rows'], names)
    assert rows['GPLLIE']['params'] == 130_372  # GEM only, from the config


def test_light_detector_preset_and_int8(tmp_path):
    """640x640 gets RTMDet-tiny; --int8 adds ONNX Runtime rows."""
    from mmllie.benchmarks.speed import auto_recognizer
    assert auto_recognizer((640, 640)) == 'rtmdet-tiny'
    out = tmp_path / 'bench.json'
    run_tool('--sizes', '64x64', '--recognizer', 'rtmdet-tiny', '--baselines',
             'LightGPLLIE', '--repeats', '2', '--warmup', '0', '--int8',
             '--out', str(out))
    report = json.loads(out.read_text())
    (res, ) = report['results']
    assert 'rtmdet_tiny' in res['recognizer']
    check_rows(res['rows'], [
        'recognizer', 'GPLLIE', 'GPLLIE (deploy)',
        'GPLLIE (deploy) + recognizer', 'LightGPLLIE', 'LightGPLLIE (deploy)',
        'LightGPLLIE (deploy) + recognizer'
    ])
    (int8, ) = report['int8']
    rows = {(r['name'], r['precision']): r for r in int8['rows']}
    assert set(rows) == {(n, p)
                         for n in ('GPLLIE', 'LightGPLLIE')
                         for p in ('fp32', 'int8')}
    for (name, precision), r in rows.items():
        assert r['rel_error'] < (1e-5 if precision == 'fp32' else 0.1)
        assert finite_positive(r['latency_ms']['median'])
    assert '### ONNX Runtime, 64×64' in (tmp_path / 'bench.md').read_text()
