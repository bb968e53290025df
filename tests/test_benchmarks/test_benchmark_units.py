"""Unit tests of the benchmark harness pieces that the slow end-to-end
benchmark tests run: worker counts and argument checks, object crops, the
comparison report's table and gains, the synthetic settings' configs."""
import json
import os.path as osp

import numpy as np
import pytest

from mmllie.benchmarks import parallel
from mmllie.benchmarks.compare_report import (gain_histogram, gem_gains,
                                              markdown_table)
from mmllie.benchmarks.object_crops import (CLASS_IDS, CROP_CLASSES, CROP_SIZE,
                                            MARGIN, MIN_AREA, crop,
                                            object_boxes)
from mmllie.benchmarks.synthetic_night import (SETTINGS, default_settings,
                                               setting_cfg)
from mmllie.models.enhancers import GPLLIE


def test_workers(monkeypatch):
    assert parallel.available_cpus() >= 1
    monkeypatch.setattr(parallel, 'available_cpus', lambda: 2)
    assert parallel.default_workers(5) == 3  # one more than the CPUs
    assert parallel.default_workers(2) == 2
    monkeypatch.setattr(parallel, 'available_cpus', lambda: 1)
    assert parallel.default_workers(5) == 1
    with pytest.raises(ValueError, match='one log file per job'):
        parallel.run_jobs(print, [(1, )], [], workers=1)
    with pytest.raises(ValueError, match='workers must be'):
        parallel.run_jobs(print, [(1, )], ['a.log'], workers=0)


def test_object_boxes_and_crop():
    label = np.zeros((40, 60), np.uint8)
    label[5:15, 10:14] = CLASS_IDS['person']  # 40 px: kept
    label[30:33, 50:52] = CLASS_IDS['car']  # 6 px: below MIN_AREA
    assert 6 < MIN_AREA <= 40
    boxes = object_boxes(label)
    side = int(np.ceil(10 * MARGIN))
    assert boxes == [(CROP_CLASSES.index('person'), 12, 10, side)]
    img = np.arange(40 * 60 * 3, dtype=np.uint8).reshape(40, 60, 3)
    patch = crop(img, *boxes[0][1:])
    assert patch.shape == (CROP_SIZE, CROP_SIZE, 3)
    corner = crop(img, 0, 0, 8)  # leaves the image: borders replicated
    assert corner.shape == (CROP_SIZE, CROP_SIZE, 3)
    np.testing.assert_array_equal(corner[0, 0], img[0, 0])


def test_markdown_table_main_metrics_per_subset():
    table = markdown_table({
        'no enhancer': {
            'hard': {
                'mIoU': 3.7,
                'aAcc': 50.0
            },
            'normal': {
                'mIoU': 14.16
            }
        },
        'GEM + PAM': {
            'hard': {
                'mIoU': 33.17
            }
        },
    }).splitlines()
    assert table == [
        '| setting | hard mIoU | normal mIoU |', '|---|--:|--:|',
        '| no enhancer | 3.70 | 14.16 |', '| GEM + PAM | 33.17 | nan |'
    ]


def test_gem_gains_and_histogram(tmp_path):
    import cv2
    paths = []
    for i, level in enumerate((20, 120)):
        path = str(tmp_path / f'{i}.png')
        cv2.imwrite(path, np.full((24, 32, 3), level, np.uint8))
        paths.append(path)
    gains = gem_gains(GPLLIE().eval(), paths)
    assert gains.shape == (2, 3)
    np.testing.assert_allclose(gains, 1.0, rtol=1e-5)  # identity start
    gain_histogram({'GPLLIE': gains}, str(tmp_path / 'gains.png'))
    assert osp.getsize(tmp_path / 'gains.png') > 1000


def test_settings_build_their_configs(tmp_path):
    assert default_settings() == [
        n for n in SETTINGS if not SETTINGS[n].get('full')
    ]
    assert set(default_settings(full=True)) == set(SETTINGS)
    for name in default_settings(full=True):
        cfg = setting_cfg(SETTINGS[name], str(tmp_path), str(tmp_path))
        assert cfg.model.data_preprocessor.enhancer == \
            SETTINGS[name]['enhancer'], name


def test_results_json_and_markdown(tmp_path):
    from mmllie.benchmarks.common import md_row, write_results
    assert md_row(['a', 1, 2.5]) == '| a | 1 | 2.5 |'
    results = dict(day=50.)
    text = write_results(
        results,
        str(tmp_path / 'w'),
        lambda r: md_row([r['day']]) + '\n',
        start=0.)
    assert text == '| 50.0 |\n'
    assert (tmp_path / 'w' / 'results.md').read_text() == text
    written = json.loads((tmp_path / 'w' / 'results.json').read_text())
    assert written == results and written['seconds'] > 0


def test_speed_enhancers():
    from mmengine.config import Config

    from mmllie.benchmarks.speed import enhancer_cfgs
    from mmllie.utils.mim_config import get_config_path
    recipe = Config.fromfile(
        get_config_path('mmllie::_base_/recipes/'
                        'gpllie_few-frames_1xb2-300_day2night.py'))
    assert enhancer_cfgs() == [
        dict(type='GPLLIE'),
        dict(type='LightGPLLIE'),
        dict(recipe.few_frames_enhancer, label='few-frames'),
        dict(type='ZeroDCE'),
        dict(type='IALM')
    ]
    # a baseline of the main enhancer's type is not repeated
    assert enhancer_cfgs('mmllie.ZeroDCE', baselines=['ZeroDCE', 'IALM']) \
        == [dict(type='mmllie.ZeroDCE'), dict(type='IALM')]


def test_speed_run_wires_every_table(monkeypatch):
    """Which measurement runs with which arguments, on CUDA (recorded, not
    run: the GPU measurements themselves have their own tests)."""
    import torch

    from mmllie.benchmarks import speed, speed_gpu
    calls = []

    def record(name):
        return lambda *args, **kwargs: calls.append((name, args, kwargs))

    monkeypatch.setattr(speed, 'environment', lambda *args: dict(cpu='x'))
    monkeypatch.setattr(speed, 'write_report', lambda *args: '')
    monkeypatch.setattr(speed, 'bench_size', record('size'))
    for name in ('bench_gpu_variants', 'bench_train_memory',
                 'bench_darkening'):
        monkeypatch.setattr(speed_gpu, name, record(name))
    enhancers = [dict(type='GPLLIE'), dict(type='IALM')]
    report = speed.run_speed_benchmark(['64x64', '640x640'],
                                       enhancers,
                                       torch.device('cuda'),
                                       repeats=3,
                                       gpu_repeats=7,
                                       darkening=False)
    assert report['env'] == dict(cpu='x', device_type='cuda')
    names = [(name, args[0]) for name, args, _ in calls]
    assert names == [('size', (64, 64)), ('size', (640, 640)),
                     ('bench_gpu_variants', (64, 64)),
                     ('bench_gpu_variants', (640, 640)),
                     ('bench_train_memory', speed.TRAIN_CONFIG),
                     ('bench_gpu_variants', (64, 64))]
    # auto recognizers per size; IALM has no GPU variants
    assert calls[0][1][1] == speed.auto_recognizer((64, 64))
    assert calls[1][1][1] == 'rtmdet-tiny'
    assert calls[2][1][1:3] == ([dict(type='GPLLIE')], 'deeplabv3plus')
    assert calls[2][2] == dict(repeats=7)
    # torch.compile rows last: main enhancer and Zero-DCE, first size
    assert calls[-1][1][1] == [dict(type='GPLLIE'), dict(type='ZeroDCE')]
    assert calls[-1][2]['enhancer_paths'] == speed_gpu.COMPILE_PATHS
