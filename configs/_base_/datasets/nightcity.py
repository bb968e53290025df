# NightCity (Tan et al. 2021), original layout, for an enhancer in front of
# a frozen Cityscapes DeepLabV3+ (1024x512 test, 512x1024 crops). Names are
# prefixed `nightcity_`: this file is a sibling of an mmseg recipe in
# `_base_` lists, whose own keys it must not repeat. Use:
#   train_dataloader = dict(_delete_=True, **_base_.nightcity_train_dataloader)
nightcity_crop_size = (512, 1024)
nightcity_host_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    size=nightcity_crop_size)
nightcity_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(
        type='RandomResize',
        scale=(1024, 512),
        ratio_range=(0.5, 2.0),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size=nightcity_crop_size, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    # no PhotoMetricDistortion: brightness is what the enhancer must learn
    dict(type='PackSegInputs')
]
nightcity_test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(1024, 512), keep_ratio=True),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs')
]
nightcity_train_dataloader = dict(
    batch_size=8,  # paper: batch 8
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='mmllie.NightCityDataset',
        data_root='data/NightCity/',
        data_prefix=dict(
            img_path='NightCity-images/images/train',
            seg_map_path='NightCity-label/label/train'),
        pipeline=nightcity_train_pipeline))
nightcity_val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='mmllie.NightCityDataset',
        data_root='data/NightCity/',
        data_prefix=dict(
            img_path='NightCity-images/images/val',
            seg_map_path='NightCity-label/label/val'),
        pipeline=nightcity_test_pipeline))
nightcity_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
