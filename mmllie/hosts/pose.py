"""mmpose as a host: top-down keypoint heatmaps (ExLPose)."""
import numpy as np
import torch
from mmengine.structures import InstanceData, PixelData

from mmllie.registry import HOSTS
from .base import BaseHost


@HOSTS.register_module(name='mmpose')
class PoseHost(BaseHost):
    """mmpose: ``Pose2DInferencer`` on the whole image, MSE on heatmaps
    (regression outputs, not class logits)."""
    scope = 'mmpose'
    package = 'mmpose'
    inferencer = ('mmpose.apis.inferencers', 'Pose2DInferencer')
    export_output = 'heatmaps'
    distill_loss = dict(type='mmllie.OutputDistillationLoss', kind='mse')
    datasets = dict(ExLPoseDataset='mmllie.datasets.exlpose')
    metrics = dict(SubsetCocoMetric='mmllie.evaluation.subset_coco_metric')
    test_preprocessor = dict(
        type='PoseDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True)

    def build_inferencer(self, cfg, checkpoint=None, device=None):
        """A top-down model gets ``det_model='whole_image'``: the whole
        image is the person box."""
        from mmpose.apis.inferencers import Pose2DInferencer
        return Pose2DInferencer(
            cfg, checkpoint, device=device, det_model='whole_image')

    def test_model(self, data_preprocessor: dict) -> dict:
        """A tiny top-down heatmap estimator (ResNet-18, 5 keypoints)."""
        return dict(
            type='TopdownPoseEstimator',
            data_preprocessor=data_preprocessor,
            backbone=dict(
                type='ResNet', depth=18, base_channels=16, init_cfg=None),
            head=dict(
                type='HeatmapHead',
                in_channels=128,
                out_channels=5,
                deconv_out_channels=(16, 16),
                deconv_kernel_sizes=(4, 4),
                loss=dict(type='KeypointMSELoss', use_target_weight=True),
                decoder=dict(
                    type='MSRAHeatmap',
                    input_size=(32, 32),
                    heatmap_size=(4, 4),
                    sigma=1)),
            test_cfg=dict(flip_test=False))

    def test_sample(self, h: int, w: int, seed: int):
        """A dark person crop with random heatmaps for 5 keypoints."""
        from mmpose.structures import PoseDataSample
        g = torch.Generator().manual_seed(seed)
        img = self.test_image(h, w, g)
        sample = PoseDataSample(
            metainfo=dict(
                self.test_meta(h, w, seed),
                input_size=(w, h),
                input_center=np.array([w / 2, h / 2], np.float32),
                input_scale=np.array([w, h], np.float32),
                flip_indices=list(range(5))))
        sample.gt_instances = InstanceData(
            bboxes=torch.tensor([[0, 0, w, h]], dtype=torch.float32),
            bbox_scores=torch.ones(1))
        sample.gt_fields = PixelData(
            heatmaps=torch.rand(5, h // 8, w // 8, generator=g))
        sample.gt_instance_labels = InstanceData(
            keypoint_weights=torch.ones(1, 5))
        return img, sample
