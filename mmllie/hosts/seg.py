"""mmsegmentation as a host: semantic segmentation (NightCity)."""
import torch
from mmengine.structures import PixelData

from mmllie.registry import HOSTS
from .base import BaseHost

_BN = dict(type='BN', requires_grad=True)


@HOSTS.register_module(name='mmseg')
class SegHost(BaseHost):
    """mmseg: ``MMSegInferencer``, ``SegLocalVisualizer``, KL on logits."""
    scope = 'mmseg'
    package = 'mmsegmentation'
    inferencer = ('mmseg.apis', 'MMSegInferencer')
    export_output = 'seg_logits'
    datasets = dict(NightCityDataset='mmllie.datasets.nightcity')
    models = dict(LogitsSegHead='mmllie.models.adapters.seg_logits_head')
    test_preprocessor = dict(
        type='SegDataPreProcessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True,
        pad_val=0,
        seg_pad_val=255,
        size_divisor=8)

    def enable_visualization(self, hook: dict, visualizer: dict,
                             show_dir: str) -> None:
        """``SegVisualizationHook`` draws; the visualiser saves."""
        hook['draw'] = True
        visualizer['save_dir'] = show_dir

    def test_model(self, data_preprocessor: dict) -> dict:
        """A tiny DeepLabV3+ (ResNetV1c-18, 16 base channels)."""
        return dict(
            type='EncoderDecoder',
            data_preprocessor=data_preprocessor,
            backbone=dict(
                type='ResNetV1c',
                depth=18,
                base_channels=16,
                stem_channels=16,
                num_stages=4,
                out_indices=(0, 1, 2, 3),
                dilations=(1, 1, 1, 2),
                strides=(1, 2, 2, 1),
                norm_cfg=_BN,
                init_cfg=None),
            decode_head=dict(
                type='DepthwiseSeparableASPPHead',
                in_channels=128,
                in_index=3,
                channels=32,
                dilations=(1, 2, 3, 4),
                c1_in_channels=16,
                c1_channels=8,
                dropout_ratio=0.1,
                num_classes=4,
                norm_cfg=_BN,
                align_corners=False,
                loss_decode=dict(type='CrossEntropyLoss', loss_weight=1.0)),
            train_cfg=dict(),
            test_cfg=dict(mode='whole'))

    def test_sample(self, h: int, w: int, seed: int):
        """A dark image with a random 4-class label map."""
        from mmseg.structures import SegDataSample
        g = torch.Generator().manual_seed(seed)
        img = self.test_image(h, w, g)
        sample = SegDataSample(metainfo=self.test_meta(h, w, seed))
        sem = torch.randint(0, 4, (1, h, w), generator=g)
        sample.gt_sem_seg = PixelData(data=sem)
        return img, sample
