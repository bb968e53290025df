"""SaveEnhancedImagesHook writes what the test step enhanced, without
running the enhancer again; a model without enhancer tests cleanly."""
import os
import uuid

import mmcv
import numpy as np
import pytest
from mmengine.config import ConfigDict
from mmengine.evaluator import BaseMetric
from mmengine.runner import Runner

from mmllie.engine.hooks import SaveEnhancedImagesHook
from mmllie.testing.hosts import HOSTS, MODEL_FNS, TinyDataset


class _Count(BaseMetric):

    def process(self, data_batch, data_samples) -> None:
        self.results.append(len(data_samples))

    def compute_metrics(self, results) -> dict:
        return dict(n=sum(results))


def _runner(tmp_path, enhancer, out_dir):
    model = MODEL_FNS['mmseg'](
        dict(
            type='mmllie.GlobalPixelwiseEnhancer',
            host=HOSTS['mmseg'],
            enhancer=enhancer))
    return Runner(
        model=ConfigDict(model),  # mmseg reads test_cfg.mode
        experiment_name=f'save_{uuid.uuid4().hex}',
        work_dir=str(tmp_path / 'work'),
        default_scope='mmseg',
        test_dataloader=dict(
            dataset=TinyDataset('mmseg', n=5, h=27, w=30),
            batch_size=2,
            num_workers=0,
            sampler=dict(type='DefaultSampler', shuffle=False),
            collate_fn=dict(type='pseudo_collate')),
        test_cfg=dict(type='TestLoop'),
        test_evaluator=[_Count()],
        custom_hooks=[
            dict(type='mmllie.FreezeRecognizerHook'),
            SaveEnhancedImagesHook(out_dir)
        ])


def test_enhancer_runs_once_per_batch(tmp_path):
    out_dir = str(tmp_path / 'enhanced')
    runner = _runner(tmp_path, dict(type='GPLLIE'), out_dir)
    pre = runner.model.data_preprocessor
    calls = []
    pre.enhancer.register_forward_hook(lambda *a: calls.append(1))
    assert runner.test() == dict(n=5)
    assert len(calls) == 3  # 3 test batches, no second run for saving
    files = sorted(os.listdir(out_dir))
    assert files == [f'img{i}.png' for i in range(5)]
    img = mmcv.imread(os.path.join(out_dir, files[0]))
    assert img.shape == (27, 30, 3) and img.dtype == np.uint8
    assert pre.last_enhanced is None and not pre.keep_enhanced
    with pytest.raises(FileExistsError, match='img0.png exists'):
        _runner(tmp_path, dict(type='GPLLIE'), out_dir).test()


def test_no_enhancer_model_tests_without_images(tmp_path):
    out_dir = str(tmp_path / 'enhanced')
    runner = _runner(tmp_path, None, out_dir)
    assert runner.test() == dict(n=5)
    assert not os.path.exists(out_dir)


def test_switched_off_enhancer_tests_without_images(tmp_path):
    out_dir = str(tmp_path / 'enhanced')
    runner = _runner(tmp_path, dict(type='GPLLIE'), out_dir)
    pre = runner.model.data_preprocessor
    pre.set_enhancer_off()
    calls = []
    pre.enhancer.register_forward_hook(lambda *a: calls.append(1))
    assert runner.test() == dict(n=5)
    assert not calls and not os.path.exists(out_dir)
