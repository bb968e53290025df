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
    '../_base_/datasets/exdark.py',
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

# ---- ExDark: ../_base_/datasets/exdark.py; the pipelines are the detector's
dataset_type = _base_.exdark_dataset.type
data_root = _base_.exdark_dataset.data_root
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
