"""mmpretrain as a host: image classification (CODaN, ExDark-cls)."""
import numpy as np
import torch

from mmllie.registry import HOSTS
from .base import BaseHost


@HOSTS.register_module(name='mmpretrain')
class ClsHost(BaseHost):
    """mmpretrain: ``ImageClassificationInferencer``,
    ``UniversalVisualizer``, KL on class logits."""
    scope = 'mmpretrain'
    package = 'mmpretrain'
    inferencer = ('mmpretrain.apis', 'ImageClassificationInferencer')
    export_output = 'cls_scores'
    datasets = dict(
        CODaNDataset='mmllie.datasets.codan',
        ExDarkClsDataset='mmllie.datasets.exdark_cls')
    metrics = dict(SubsetAccuracy='mmllie.evaluation.subset_accuracy')
    test_preprocessor = dict(
        type='ClsDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        to_rgb=True)

    def build_inferencer(self, cfg, checkpoint=None, device=None):
        """mmpretrain names the checkpoint ``pretrained``."""
        from mmpretrain.apis import ImageClassificationInferencer
        return ImageClassificationInferencer(
            cfg, pretrained=checkpoint or False, device=device)

    def draw(self, inferencer, rgb: np.ndarray, sample) -> np.ndarray:
        """``visualize_cls``; the inferencer builds its visualiser on first
        use, so one is made here if it has none yet."""
        if inferencer.visualizer is None:
            from mmpretrain.visualization import UniversalVisualizer
            inferencer.visualizer = UniversalVisualizer()
        return inferencer.visualizer.visualize_cls(
            rgb,
            sample,
            classes=getattr(inferencer, 'classes', None),
            draw_gt=False,
            show=False)

    def test_model(self, data_preprocessor: dict) -> dict:
        """A tiny ResNet-18 classifier with dropout in the head."""
        return dict(
            type='ImageClassifier',
            data_preprocessor=data_preprocessor,
            backbone=dict(
                type='ResNet', depth=18, base_channels=16, init_cfg=None),
            neck=dict(type='GlobalAveragePooling'),
            head=dict(
                type='LinearClsHead',
                num_classes=3,
                in_channels=128,
                loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))

    def test_sample(self, h: int, w: int, seed: int):
        """A dark image of class ``seed % 3``."""
        from mmpretrain.structures import DataSample
        g = torch.Generator().manual_seed(seed)
        img = self.test_image(h, w, g)
        sample = DataSample(metainfo=self.test_meta(h, w, seed))
        sample.set_gt_label(seed % 3)
        return img, sample
