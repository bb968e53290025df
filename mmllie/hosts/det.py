"""mmdetection as a host: object detection (ExDark)."""
import copy
from typing import Any, List, Sequence

import torch
from mmengine.structures import InstanceData

from mmllie.registry import HOSTS
from .base import BaseHost, Size


@HOSTS.register_module(name='mmdet')
class DetHost(BaseHost):
    """mmdet: ``DetInferencer``, KL on class scores, valid regions from
    ``img_shape`` (batch augments resize the padded batch)."""
    scope = 'mmdet'
    package = 'mmdet'
    inferencer = ('mmdet.apis', 'DetInferencer')
    # odd multiples of the largest stride (32) of mmdet's detectors
    export_verify_shape = (160, 224)
    datasets = dict(ExDarkDataset='mmllie.datasets.exdark')
    metrics = dict(ClassSubsetMetric='mmllie.evaluation.class_subset_metric')
    #: the test detector: mmdet's own RetinaNet-R18 recipe
    test_recipe = 'mmdet::retinanet/retinanet_r18_fpn_1x_coco.py'

    def build_inferencer(self, cfg, checkpoint=None, device=None):
        from mmdet.apis import DetInferencer
        return DetInferencer(
            cfg, checkpoint, device=device, show_progress=False)

    def enable_visualization(self, hook: dict, visualizer: dict,
                             show_dir: str) -> None:
        """``DetVisualizationHook`` draws into ``test_out_dir``."""
        hook['draw'] = True
        hook['test_out_dir'] = show_dir

    def valid_sizes(self, sizes: List[Size], data_samples: Sequence[Any],
                    hw: Size) -> List[Size]:
        """``DetDataPreprocessor`` marks samples with ``batch_input_shape``
        and keeps ``img_shape`` up to date through batch augments that
        resize the padded batch (``BatchSyncRandomResize``): there
        ``img_shape`` is the valid region."""
        metas = [getattr(s, 'metainfo', {}) for s in data_samples or []]
        if len(metas) == len(sizes) and all(
                'batch_input_shape' in m and 'img_shape' in m for m in metas):
            sizes = [tuple(m['img_shape'][:2]) for m in metas]
        return super().valid_sizes(sizes, data_samples, hw)

    def test_model(self, data_preprocessor: dict) -> dict:
        """mmdet's RetinaNet-R18 (no ImageNet init); ``data_preprocessor``
        replaces mmdet's where given (an empty dict keeps it)."""
        from mmengine.hub import get_config
        model = copy.deepcopy(get_config(self.test_recipe).model)
        model.pop('pretrained', None)
        model['backbone']['init_cfg'] = None
        if data_preprocessor:
            model['data_preprocessor'] = data_preprocessor
        return model

    def test_sample(self, h: int, w: int, seed: int, n_boxes: int = 2):
        """A dark image with ``n_boxes`` COCO-labelled boxes."""
        from mmdet.structures import DetDataSample
        g = torch.Generator().manual_seed(seed)
        img = self.test_image(h, w, g)
        sample = DetDataSample(
            metainfo=dict(
                img_shape=(h, w),
                ori_shape=(h, w),
                scale_factor=(1., 1.),
                img_id=seed,
                img_path=f'img{seed}.jpg'))
        xy = torch.rand(n_boxes, 2, generator=g) * torch.tensor([w / 2, h / 2])
        wh = 8 + torch.rand(
            n_boxes, 2, generator=g) * torch.tensor([w / 2 - 8, h / 2 - 8])
        sample.gt_instances = InstanceData(
            bboxes=torch.cat([xy, xy + wh], 1),
            labels=torch.tensor([0, 2, 56, 60][:n_boxes]))  # person, car, ..
        sample.ignored_instances = InstanceData(
            bboxes=torch.zeros(0, 4), labels=torch.zeros(0, dtype=torch.long))
        return img, sample
