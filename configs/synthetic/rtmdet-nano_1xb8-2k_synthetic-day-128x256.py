# "RTMDet-nano": mmdet's RTMDet-tiny recipe at a third of its width
# (CSPNeXt widen_factor 0.125, 32-channel neck and head; 0.55M parameters),
# 2 classes (car, person), trained from scratch on the DAY images of the
# procedural synthetic city at 128x256 (boxes: mmllie.benchmarks.object_boxes,
# COCO format). It is the detector that later stays frozen. Used by
# tools/synthetic_night_benchmark.py --task detection.
_base_ = ['mmdet::rtmdet/rtmdet_tiny_8xb32-300e_coco.py']
custom_imports = dict(imports=['mmllie'], allow_failed_imports=False)

classes = ('car', 'person')
metainfo = dict(classes=classes, palette=[(0, 0, 142), (220, 20, 60)])
img_scale = (256, 128)  # (w, h): the scenes' own size
model = dict(
    # from scratch: nothing is downloaded
    backbone=dict(widen_factor=0.125, init_cfg=None),
    neck=dict(in_channels=[32, 64, 128], out_channels=32),
    bbox_head=dict(num_classes=len(classes), in_channels=32, feat_channels=32),
    test_cfg=dict(nms_pre=1000, score_thr=0.001, max_per_img=100))

dataset_type = 'CocoDataset'
data_root = 'data/synthetic_city_det/day/'
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackDetInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=img_scale, keep_ratio=True),  # scale_factor
    dict(type='LoadAnnotations', with_bbox=True),
    dict(
        type='PackDetInputs',
        meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape',
                   'scale_factor'))
]
train_dataloader = dict(
    _delete_=True,
    batch_size=8,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        metainfo=metainfo,
        ann_file='annotations/instances_train.json',
        data_prefix=dict(img='NightCity-images/images/train/'),
        filter_cfg=dict(filter_empty_gt=True, min_size=4),
        pipeline=train_pipeline))
val_dataloader = dict(
    _delete_=True,
    batch_size=8,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        metainfo=metainfo,
        ann_file='annotations/instances_val.json',
        data_prefix=dict(img='NightCity-images/images/val/'),
        test_mode=True,
        pipeline=test_pipeline))
test_dataloader = val_dataloader
# mAP@0.5 (mmdet's VOCMetric, area-based AP), as detection at night is
# usually reported
val_evaluator = dict(
    _delete_=True,
    type='VOCMetric',
    metric='mAP',
    iou_thrs=[0.5],
    eval_mode='area')
test_evaluator = val_evaluator

max_iters = 2000
optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=2e-3, weight_decay=0.05),
    paramwise_cfg=dict(
        norm_decay_mult=0, bias_decay_mult=0, bypass_duplicate=True))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, end=100),
    dict(
        type='CosineAnnealingLR',
        eta_min=2e-5,
        begin=0,
        end=max_iters,
        T_max=max_iters,
        by_epoch=False)
]
train_cfg = dict(
    _delete_=True,
    type='IterBasedTrainLoop',
    max_iters=max_iters,
    val_interval=max_iters)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    checkpoint=dict(by_epoch=False, interval=max_iters, max_keep_ckpts=1),
    logger=dict(interval=100, log_metric_by_epoch=False))
log_processor = dict(by_epoch=False)
custom_hooks = []  # no EMA / pipeline switch: a plain, short recipe
auto_scale_lr = dict(enable=False)
randomness = dict(seed=0)
