# GEM + PAM trained in front of a FROZEN COCO-trained RTMDet-tiny (a light
# modern detector) on ExDark train by the detector's own loss; scored on
# ExDark test in COCO's label space, metrics over ExDark's 12 classes.
#
# Recognizer weights: mmdet's model zoo checkpoint for this recipe, listed in
# mmdet's configs/rtmdet/metafile.yml (rtmdet_tiny_8xb32-300e_coco,
# rtmdet_tiny_8xb32-300e_coco_20220902_112414-78e30dcc.pth); download it
# yourself and pass `--cfg-options load_from=/path/to/it.pth`.
_base_ = [
    'mmdet::rtmdet/rtmdet_tiny_8xb32-300e_coco.py',
    '../_base_/schedules/enhancer_adam-5e-4_10k.py'
]
custom_imports = dict(imports=['mmllie'], allow_failed_imports=False)

img_scale = (640, 640)
host_preprocessor = dict(
    type='DetDataPreprocessor',
    mean=[103.53, 116.28, 123.675],
    std=[57.375, 57.12, 58.395],
    bgr_to_rgb=False,  # RTMDet was trained on BGR; the enhancer sees RGB
    batch_augments=None)
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
    dict(type='Pad', size=img_scale, pad_val=dict(img=(114, 114, 114))),
    # no photometric distortion: brightness is what the enhancer must learn
    dict(type='PackDetInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    dict(type='Pad', size=img_scale, pad_val=dict(img=(114, 114, 114))),
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
