# GEM + PAM (577k params) trained in front of a FROZEN Cityscapes-trained
# DeepLabV3+ with a MobileNetV2 backbone (the paper's 5.2M-parameter choice)
# on NightCity, by the recognizer's own loss (paper Table 3: 18.4 -> 34.4).
# mmseg's MobileNetV2 DeepLabV3+ keeps the ResNet head widths (512-channel
# separable bottleneck), so it has 15.2M parameters (FreezeRecognizerHook's
# log); the widths stay mmseg's so its published checkpoints load.
#
# Recognizer weights: a Cityscapes DeepLabV3+ checkpoint the user has, e.g.
# mmseg's model zoo file for
#   mobilenet_v2/mobilenet-v2-d8_deeplabv3plus_4xb2-80k_cityscapes-512x1024.py
# saved locally and passed as `--cfg-options load_from=/path/to/ckpt.pth`
# (or edit `load_from` below). Nothing is downloaded.
_base_ = [
    'mmseg::mobilenet_v2/'
    'mobilenet-v2-d8_deeplabv3plus_4xb2-80k_cityscapes-512x1024.py'
]
custom_imports = dict(imports=['mmllie'], allow_failed_imports=False)

crop_size = (512, 1024)
host_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    size=crop_size)
model = dict(
    # the recognizer comes from `load_from`; no ImageNet init download
    pretrained=None,
    data_preprocessor=dict(
        _delete_=True,
        type='mmllie.GlobalPixelwiseEnhancer',
        host=host_preprocessor,
        enhancer=dict(type='GPLLIE', use_gem=True, use_pam=True)))
load_from = None  # path to the Cityscapes-trained DeepLabV3+ checkpoint

# ---- NightCity (Tan et al. 2021), original layout -------------------------
dataset_type = 'mmllie.NightCityDataset'
data_root = 'data/NightCity/'
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(
        type='RandomResize',
        scale=(1024, 512),
        ratio_range=(0.5, 2.0),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    # no PhotoMetricDistortion: brightness is what the enhancer must learn
    dict(type='PackSegInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(1024, 512), keep_ratio=True),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs')
]
train_dataloader = dict(
    batch_size=8,  # paper: batch 8
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='NightCity-images/images/train',
            seg_map_path='NightCity-label/label/train'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='NightCity-images/images/val',
            seg_map_path='NightCity-label/label/val'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator

# ---- schedule: Adam, batch 8 (paper 4.1); the paper's lr exponent is lost
# ("5x10^?"): 5e-4, constant, documented in the README --------------------
optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=5e-4, betas=(0.9, 0.999)),
    clip_grad=None)
param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False)]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=10000, val_interval=1000)
default_hooks = dict(
    checkpoint=dict(
        type='CheckpointHook', by_epoch=False, interval=1000,
        max_keep_ckpts=3),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False))

# ---- the frozen-recognizer guarantee -------------------------------------
custom_hooks = [
    dict(type='mmllie.FreezeRecognizerHook'),
    # end of training: no enhancer / start / trained side by side, a warning
    # if the trained enhancer is worse (work_dir/enhancer_guard.json)
    dict(type='mmllie.EnhancerGuardHook'),
]
# DDP around the enhancer only; on CPU (tools/dist_train.sh with gloo) it
# also turns the recognizer's SyncBN into BN (eval mode: the same maths)
model_wrapper_cfg = dict(type='mmllie.EnhancerDistributedDataParallel')
