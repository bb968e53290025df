# GEM + PAM (577k params) trained in front of a FROZEN COCO-trained
# YOLOv3-DarkNet53 (the detector IAT / MAET / YOLA report on ExDark) by the
# detector's own loss on ExDark train; scored on ExDark test without
# retraining: labels live in COCO's 80-class index space and the metrics are
# restricted to ExDark's 12 classes (mmllie.ClassSubsetMetric).
#
# Recognizer weights: mmdet's model zoo checkpoint for this recipe, listed in
# mmdet's configs/yolo/metafile.yml (yolov3_d53_8xb8-ms-608-273e_coco,
# yolov3_d53_mstrain-608_273e_coco_20210518_115020-a2c3acb8.pth); download it
# yourself and pass `--cfg-options load_from=/path/to/it.pth`.
_base_ = [
    'mmdet::yolo/yolov3_d53_8xb8-ms-608-273e_coco.py',
    '../_base_/schedules/enhancer_adam-5e-4_10k.py'
]
custom_imports = dict(imports=['mmllie'], allow_failed_imports=False)

img_scale = (608, 608)
host_preprocessor = dict(
    type='DetDataPreprocessor',
    mean=[0, 0, 0],
    std=[255., 255., 255.],
    bgr_to_rgb=True,
    pad_size_divisor=32)
model = dict(
    backbone=dict(init_cfg=None),  # the detector comes from `load_from`
    data_preprocessor=dict(
        _delete_=True,
        type='mmllie.GlobalPixelwiseEnhancer',
        host=host_preprocessor,
        enhancer=dict(type='GPLLIE', use_gem=True, use_pam=True)))
load_from = None  # path to the COCO-trained detector checkpoint

# ---- ExDark (Loh & Chan 2019), official release layout --------------------
dataset_type = 'mmllie.ExDarkDataset'
data_root = 'data/ExDark/'
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    dict(type='RandomFlip', prob=0.5),
    # no photometric distortion: brightness is what the enhancer must learn
    dict(type='PackDetInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    dict(type='LoadAnnotations', with_bbox=True),  # boxes in original pixels
    dict(
        type='PackDetInputs',
        meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape',
                   'scale_factor', 'instances'))  # CocoMetric's ground truth
]
train_dataloader = dict(
    batch_size=8,  # paper: batch 8
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    batch_sampler=None,
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        split='train',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        split='val',
        test_mode=True,
        pipeline=test_pipeline))
test_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        split='test',  # or lighting='Low' / in_out='Indoor' subsets
        test_mode=True,
        pipeline=test_pipeline))
# mAP@0.5 as the papers report (mmdet's VOCMetric) and COCO AP@[.5:.95],
# both over ExDark's 12 classes only
val_evaluator = [
    dict(
        type='mmllie.ClassSubsetMetric',
        metric=dict(
            type='VOCMetric', metric='mAP', iou_thrs=[0.5], eval_mode='area')),
    dict(
        type='mmllie.ClassSubsetMetric',
        metric=dict(type='CocoMetric', metric='bbox'))
]
test_evaluator = val_evaluator

# ---- schedule (Adam 5e-4 constant, paper 4.1) and the frozen-recognizer
# guarantee (FreezeRecognizerHook, EnhancerGuardHook, enhancer-only DDP):
# the block every task shares, ../_base_/schedules/enhancer_adam-5e-4_10k.py
optim_wrapper = dict(_delete_=True, **_base_.enhancer_optim_wrapper)
param_scheduler = _base_.enhancer_param_scheduler
train_cfg = dict(_base_.enhancer_train_cfg, _delete_=True, max_iters=4000)
default_hooks = dict(
    checkpoint=dict(_base_.enhancer_default_hooks.checkpoint),
    logger=_base_.enhancer_default_hooks.logger)
log_processor = dict(by_epoch=False)
custom_hooks = _base_.enhancer_custom_hooks
model_wrapper_cfg = _base_.enhancer_model_wrapper_cfg
auto_scale_lr = dict(enable=False)
