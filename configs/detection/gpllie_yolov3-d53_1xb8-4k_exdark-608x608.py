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
    '../_base_/datasets/exdark.py',
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

# ---- ExDark: ../_base_/datasets/exdark.py; the pipelines are the detector's
dataset_type = _base_.exdark_dataset.type
data_root = _base_.exdark_dataset.data_root
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
    dict(type='PackDetInputs', meta_keys=_base_.exdark_test_meta_keys)
]
train_dataloader = dict(
    **_base_.exdark_train_loader,
    dataset=dict(
        _base_.exdark_dataset,
        _delete_=True,
        split='train',
        pipeline=train_pipeline))
val_dataloader = dict(
    **_base_.exdark_test_loader,
    dataset=dict(
        _base_.exdark_dataset,
        _delete_=True,
        split='val',
        test_mode=True,
        pipeline=test_pipeline))
test_dataloader = dict(
    **_base_.exdark_test_loader,
    dataset=dict(
        _base_.exdark_dataset,
        _delete_=True,
        split='test',  # or lighting='Low' / in_out='Indoor' subsets
        test_mode=True,
        pipeline=test_pipeline))
val_evaluator = _base_.exdark_evaluator
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
