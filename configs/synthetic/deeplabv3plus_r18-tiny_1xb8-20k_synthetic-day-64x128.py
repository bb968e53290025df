# A small DeepLabV3+ (ResNetV1c-18, 16 base channels, mmseg's own classes)
# trained on the DAY images of the procedural synthetic city
# (mmllie.datasets.synthetic_city, NightCity layout): stage 1 of 2 of the
# recognizer that later stays frozen. This stage trains on a city rendered
# at the crop size, 64x128 (data/synthetic_city_64x128); stage 2,
# ./deeplabv3plus_r18-tiny-ft-lovasz_1xb8-16k_synthetic-day-64x128.py,
# fine-tunes it on 64x128 crops of the benchmark's 128x256 city. The
# enhancer configs inherit this file and take stage 2's ASPP rates. Used by
# tools/synthetic_night_benchmark.py.
# Output stride 16 (strides (1, 2, 2, 1), last stage dilated by 2). The city
# has NightCity's layout: its host preprocessor, dataset and metric are the
# ones of ../_base_/datasets/nightcity.py.
_base_ = [
    'mmseg::_base_/default_runtime.py', '../_base_/datasets/nightcity.py'
]
custom_imports = dict(imports=['mmllie'], allow_failed_imports=False)
norm_cfg = dict(type='BN', requires_grad=True)
crop_size = (64, 128)
data_preprocessor = dict(_base_.nightcity_host_preprocessor, size=crop_size)
model = dict(
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
        norm_cfg=norm_cfg,
        init_cfg=None),
    decode_head=dict(
        type='DepthwiseSeparableASPPHead',
        in_channels=128,
        in_index=3,
        channels=64,
        dilations=(1, 6, 12, 18),
        c1_in_channels=16,
        c1_channels=16,
        dropout_ratio=0.1,
        num_classes=19,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(
            type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))

dataset_type = 'mmllie.NightCityDataset'  # (the dataloaders below set it)
data_root = 'data/synthetic_city_64x128/day'
# mmseg's usual scale augmentation (narrow: the scenes are small)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(
        type='RandomResize',
        scale=(128, 64),
        ratio_range=(0.75, 1.5),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackSegInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs')
]
train_dataloader = dict(
    batch_size=8,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        _base_.nightcity_train_dataloader.dataset,
        data_root=data_root,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=8,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        _base_.nightcity_val_dataloader.dataset,
        data_root=data_root,
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = _base_.nightcity_evaluator
test_evaluator = val_evaluator

optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=2e-3))
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-5, power=0.9, by_epoch=False, end=20000)
]
# 20,000 iterations (72.84 day mIoU on the 64×128 val scenes; stage 2
# fine-tunes it)
train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=20000, val_interval=20000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=20000),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
env_cfg = dict(dist_cfg=dict(backend='gloo'))
randomness = dict(seed=0)
