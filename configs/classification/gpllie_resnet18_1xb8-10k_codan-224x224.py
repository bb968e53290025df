# GEM + PAM (577k params) trained in front of a FROZEN ResNet-18 CODaN day
# classifier on DARKENED day images (CODaN `train` + mmllie.LowLightSynthesis,
# the published unprocessing ranges) by the classifier's own cross-entropy;
# no night image and no night label is used for training. One test run
# reports top-1 on the real night images (test_night, from ExDark) and on
# the day images (test_day: an enhancer must not break day images).
#
# Recognizer: the day classifier of configs/classification/resnet18_8xb32-100e_codan-day-224x224.py
# (trained once by you: no CODaN checkpoint is published in mmpretrain's
# format). Point `load_from` at it:
#   python tools/train.py configs/classification/gpllie_resnet18_1xb8-10k_codan-224x224.py --cfg-options \
#       load_from=work_dirs/resnet18_8xb32-100e_codan-day-224x224/best_accuracy_top1_epoch_N.pth
#   python tools/test.py configs/classification/gpllie_resnet18_1xb8-10k_codan-224x224.py \
#       work_dirs/gpllie_resnet18_1xb8-10k_codan-224x224/iter_10000.pth
#   # ... test_night/accuracy/top1: ...  test_day/accuracy/top1: ...
# Validation (best checkpoint) is on the day `val` split darkened with a fixed
# seed, never on a test split.
_base_ = [
    './resnet18_8xb32-100e_codan-day-224x224.py',
    '../_base_/schedules/enhancer_adam-5e-4_10k.py'
]

host_preprocessor = dict(
    type='ClsDataPreprocessor',
    num_classes=10,
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=True)
model = dict(
    data_preprocessor=dict(
        type='mmllie.GlobalPixelwiseEnhancer',
        host=host_preprocessor,
        enhancer=dict(type='GPLLIE', use_gem=True, use_pam=True)))
load_from = None  # path to the CODaN day ResNet-18 checkpoint

# ---- darkened day images for training, a fixed darkened val ---------------
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=224),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    # after the crop: noise at the resolution the classifier sees
    dict(type='mmllie.LowLightSynthesis', level='full'),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    batch_size=8,  # paper: batch 8
    num_workers=4,
    persistent_workers=True,
    sampler=dict(_delete_=True, type='InfiniteSampler', shuffle=True),
    dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(pipeline=[
        dict(type='LoadImageFromFile'),
        dict(type='ResizeEdge', scale=224, edge='short'),
        dict(type='CenterCrop', crop_size=224),
        dict(type='mmllie.LowLightSynthesis', level='full', seed=0),
        dict(type='PackInputs')
    ]))

# ---- schedule (Adam 5e-4 constant, paper 4.1) and the frozen-recognizer
# guarantee (FreezeRecognizerHook, EnhancerGuardHook, enhancer-only DDP):
# the block every task shares, ../_base_/schedules/enhancer_adam-5e-4_10k.py
optim_wrapper = dict(_delete_=True, **_base_.enhancer_optim_wrapper)
param_scheduler = _base_.enhancer_param_scheduler
train_cfg = dict(_delete_=True, **_base_.enhancer_train_cfg)
default_hooks = dict(
    checkpoint=dict(_base_.enhancer_default_hooks.checkpoint),
    logger=_base_.enhancer_default_hooks.logger)
log_processor = dict(by_epoch=False)
custom_hooks = _base_.enhancer_custom_hooks
model_wrapper_cfg = _base_.enhancer_model_wrapper_cfg
auto_scale_lr = dict(base_batch_size=8)
