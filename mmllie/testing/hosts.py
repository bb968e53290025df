"""Tiny host recognizers (mmseg, mmpose, mmpretrain) and batches for tests.

Every host model has ``init_cfg=None``: nothing is downloaded.
"""
import uuid

import torch
from mmengine.registry import MODELS, init_default_scope
from mmengine.runner import Runner, save_checkpoint
from mmengine.structures import InstanceData, PixelData
from torch.utils.data import Dataset

SEG_HOST = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    size_divisor=8)
POSE_HOST = dict(
    type='PoseDataPreprocessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True)
CLS_HOST = dict(
    type='ClsDataPreprocessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=True)
HOSTS = dict(mmseg=SEG_HOST, mmpose=POSE_HOST, mmpretrain=CLS_HOST)

_BN = dict(type='BN', requires_grad=True)


def seg_model(data_preprocessor: dict) -> dict:
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


def pose_model(data_preprocessor: dict) -> dict:
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


def cls_model(data_preprocessor: dict) -> dict:
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


MODEL_FNS = dict(mmseg=seg_model, mmpose=pose_model, mmpretrain=cls_model)


def make_sample(scope: str, h: int, w: int, seed: int):
    """One (uint8 image, data sample) pair for the given host kind."""
    g = torch.Generator().manual_seed(seed)
    img = (torch.rand(3, h, w, generator=g) * 60).to(torch.uint8)
    meta = dict(img_shape=(h, w), ori_shape=(h, w), img_path=f'img{seed}')
    if scope == 'mmseg':
        from mmseg.structures import SegDataSample
        sample = SegDataSample(metainfo=meta)
        sem = torch.randint(0, 4, (1, h, w), generator=g)
        sample.gt_sem_seg = PixelData(data=sem)
    elif scope == 'mmpose':
        from mmpose.structures import PoseDataSample
        sample = PoseDataSample(
            metainfo=dict(
                meta,
                input_size=(w, h),
                input_center=(w / 2, h / 2),
                input_scale=(w, h),
                flip_indices=list(range(5))))
        sample.gt_instances = InstanceData(
            bboxes=torch.tensor([[0, 0, w, h]], dtype=torch.float32),
            bbox_scores=torch.ones(1))
        sample.gt_fields = PixelData(
            heatmaps=torch.rand(5, h // 8, w // 8, generator=g))
        sample.gt_instance_labels = InstanceData(
            keypoint_weights=torch.ones(1, 5))
    else:
        from mmpretrain.structures import DataSample
        sample = DataSample(metainfo=meta)
        sample.set_gt_label(seed % 3)
    return img, sample


class TinyDataset(Dataset):
    """In-memory dataset of ``make_sample`` items (same size)."""

    def __init__(self, scope: str, n: int = 8, h: int = 32, w: int = 32):
        self.items = [make_sample(scope, h, w, i) for i in range(n)]

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, idx: int) -> dict:
        img, sample = self.items[idx]
        return dict(inputs=img, data_samples=sample)


def recognizer_checkpoint(scope, tmp_path):
    """A recognizer-only checkpoint, as a user's `load_from` would be."""
    init_default_scope(scope)
    model = MODELS.build(MODEL_FNS[scope](HOSTS[scope]))
    model.init_weights()
    for m in model.modules():  # non-trivial BN statistics
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.1, 0.1)
            m.running_var.uniform_(0.9, 1.1)
    path = str(tmp_path / f'{scope}_recognizer.pth')
    save_checkpoint({'state_dict': model.state_dict()}, path)
    return path, model.state_dict()


def build_runner(scope, tmp_path, max_iters=3, load_from=None, **kwargs):
    model = MODEL_FNS[scope](
        dict(
            type='mmllie.GlobalPixelwiseEnhancer',
            host=HOSTS[scope],
            enhancer=dict(type='GPLLIE')))
    if scope == 'mmpose':  # the host's own option must not be needed
        model['backbone']['norm_eval'] = False
    return Runner(
        model=model,
        # unique: MMEngine keys its logger and default scope by this name
        experiment_name=f'{scope}_{uuid.uuid4().hex}',
        load_from=load_from,
        work_dir=str(tmp_path),
        default_scope=scope,
        train_dataloader=dict(
            dataset=TinyDataset(scope),
            batch_size=2,
            num_workers=0,
            sampler=dict(type='DefaultSampler', shuffle=False),
            collate_fn=dict(type='pseudo_collate')),
        train_cfg=dict(by_epoch=False, max_iters=max_iters),
        # random tiny recognizers give GEM gradients of ~1e-10: a small eps
        # lets Adam move every parameter within 3 iterations
        optim_wrapper=kwargs.pop(
            'optim_wrapper',
            dict(optimizer=dict(type='Adam', lr=1e-3, eps=1e-16))),
        custom_hooks=kwargs.pop('custom_hooks',
                                [dict(type='mmllie.FreezeRecognizerHook')]),
        default_hooks=dict(
            logger=dict(type='LoggerHook', interval=1),
            **kwargs.pop('default_hooks', {})),
        env_cfg=dict(dist_cfg=dict(backend='gloo')),
        randomness=dict(seed=0),
        **kwargs)
