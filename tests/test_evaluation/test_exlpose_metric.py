"""One test run, four ExLPose APs: configs/_base_/datasets/
exlpose_ll_4subsets.py through mmengine's Runner (what tools/test.py runs),
with an oracle model whose predictions are the ground truth, exact or
shifted by a known amount."""
import copy
import os.path as osp

import numpy as np
import pytest
from mmengine import Config
from mmengine.model import BaseModel
from mmengine.runner import Runner
from mmengine.structures import InstanceData

from mmllie.datasets.exlpose import ExLPoseDataset
from mmllie.registry import METRICS
from mmllie.testing.exlpose import make_exlpose

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CFG = osp.join(REPO, 'configs/_base_/datasets/exlpose_ll_4subsets.py')
LL = ('LL-N', 'LL-H', 'LL-E', 'LL-A')
THRESHOLDS = np.linspace(0.5, 0.95, 10)  # COCO OKS thresholds


class OracleModel(BaseModel):
    """Predicts the ground-truth keypoints of each sample, every keypoint
    moved by ``c[subset] * sqrt(0.53 * w * h)`` (w, h: the GT box), which
    gives every person of that subset the same OKS (``use_area=False``)."""

    def __init__(self, c: dict):
        super().__init__()
        self.c = c

    def forward(self, inputs, data_samples=None, mode='predict'):
        for sample in data_samples:
            kpts = sample.gt_instances.keypoints.copy()
            w, h = sample.raw_ann_info['bbox'][2:]
            c = self.c[sample.dataset_name.replace('exlpose_', '')]
            kpts += c * np.sqrt(0.53 * w * h) / np.sqrt(2)  # along x and y
            sample.pred_instances = InstanceData(
                keypoints=kpts, keypoint_scores=np.ones(kpts.shape[:2]))
        return data_samples


def shift_for_oks(oks: float) -> float:
    """c with mean_k exp(-c^2 / (8 sigma_k^2)) == oks (COCO OKS, eq. of
    xtcocotools' computeOks with area = 0.53 w h), by bisection."""
    sigmas = ExLPoseDataset(lazy_init=True).metainfo['sigmas']
    lo, hi = 0., 10.
    for _ in range(60):
        c = (lo + hi) / 2
        lo, hi = (c, hi) if np.exp(-c**2 / 8 / sigmas**2).mean() > oks \
            else (lo, c)
    return (lo + hi) / 2


def ll_loader(cfg: Config, root: str, batch_size: int) -> dict:
    """The config's LL-N/H/E/A test loader, reading ``root`` in this
    process."""
    loader = copy.deepcopy(cfg.exlpose_ll_test_dataloader)
    loader.update(
        batch_size=batch_size, num_workers=0, persistent_workers=False)
    for dataset in loader.dataset.datasets:
        dataset.data_root = root
    return loader


def run_test(root, tmp_path, c):
    cfg = Config.fromfile(CFG)
    loader = ll_loader(cfg, root, 4)
    runner = Runner(
        model=OracleModel(c),
        work_dir=str(tmp_path / 'work'),
        test_dataloader=loader,
        test_evaluator=cfg.exlpose_ll_test_evaluator,
        test_cfg=dict(type='TestLoop'),
        default_scope='mmpose',
        experiment_name=f'exlpose_{tmp_path.name}')
    return runner.test()


@pytest.mark.parametrize('variant', ['public', 'authors'])
def test_ground_truth_gives_ap_100(tmp_path, variant):
    root = str(tmp_path / 'ExLPose')
    make_exlpose(root, variant)
    metrics = run_test(root, tmp_path, dict.fromkeys(LL, 0.))
    stats = ('AP', 'AP .5', 'AP .75', 'AP (M)', 'AP (L)', 'AR', 'AR .5',
             'AR .75', 'AR (M)', 'AR (L)')
    assert set(metrics) == {f'{s}/coco/{k}' for s in LL for k in stats}
    for subset in LL:
        assert metrics[f'{subset}/coco/AP'] == pytest.approx(1.0)
        assert metrics[f'{subset}/coco/AR'] == pytest.approx(1.0)


def test_known_perturbation_gives_known_ap(tmp_path):
    """Each subset's samples get their own shift: OKS 0.725 passes 5 of the
    10 thresholds (AP 0.5), 0.525 one (0.1), 0.875 eight (0.8); so each
    metric also proves it saw only its own subset's samples."""
    root = str(tmp_path / 'ExLPose')
    make_exlpose(root, 'public')
    oks = {'LL-N': 1.0, 'LL-H': 0.725, 'LL-E': 0.525, 'LL-A': 0.875}
    c = {s: shift_for_oks(o) if o < 1 else 0. for s, o in oks.items()}
    metrics = run_test(root, tmp_path, c)
    for subset, o in oks.items():
        expected = (THRESHOLDS <= o).mean()
        assert metrics[f'{subset}/coco/AP'] == pytest.approx(expected)
    assert metrics['LL-H/coco/AP'] < metrics['LL-N/coco/AP'] == 1.0


def test_subset_metric_needs_dataset_name():
    metric = METRICS.build(
        dict(type='mmllie.SubsetCocoMetric', dataset_name='exlpose_LL-N'))
    with pytest.raises(KeyError, match='meta_keys'):
        metric.process({}, [dict(id=1, img_id=1)])
    metric.process({}, [dict(dataset_name='exlpose_LL-H')])
    assert metric.results == []
    with pytest.raises(ValueError, match=r"'exlpose_LL-N'.*exlpose_LL-H"):
        metric.compute_metrics([])


def test_snippet_runs_a_real_topdown_model(tmp_path):
    """The snippet's pipeline and metrics fit mmpose's TopdownPoseEstimator
    (random weights: only that all four subsets are scored)."""
    root = str(tmp_path / 'ExLPose')
    make_exlpose(root, 'authors')
    cfg = Config.fromfile(CFG)
    loader = ll_loader(cfg, root, 8)
    codec = dict(
        type='MSRAHeatmap',
        input_size=(192, 256),
        heatmap_size=(48, 64),
        sigma=2)
    model = dict(
        type='TopdownPoseEstimator',
        data_preprocessor=dict(
            type='PoseDataPreprocessor',
            mean=[123.675, 116.28, 103.53],
            std=[58.395, 57.12, 57.375],
            bgr_to_rgb=True),
        backbone=dict(
            type='ResNet', depth=18, base_channels=16, init_cfg=None),
        head=dict(
            type='HeatmapHead',
            in_channels=128,
            out_channels=14,
            deconv_out_channels=(16, 16),
            deconv_kernel_sizes=(4, 4),
            loss=dict(type='KeypointMSELoss', use_target_weight=True),
            decoder=codec),
        test_cfg=dict(flip_test=True))
    metrics = Runner(
        model=model,
        work_dir=str(tmp_path / 'work'),
        test_dataloader=loader,
        test_evaluator=cfg.exlpose_ll_test_evaluator,
        test_cfg=dict(type='TestLoop'),
        default_scope='mmpose',
        experiment_name='exlpose_real_model').test()
    for subset in LL:
        assert 0. <= metrics[f'{subset}/coco/AP'] <= 1.
