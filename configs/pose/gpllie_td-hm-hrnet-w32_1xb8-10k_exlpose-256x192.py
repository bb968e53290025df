# GEM + PAM (577k params) trained in front of a FROZEN top-down heatmap pose
# estimator on ExLPose's low-light training images (train-LL, dark/) by the
# estimator's own heatmap loss; one test run reports AP@0.5:0.95 on LL-N,
# LL-H, LL-E and LL-A (paper Table 1: Lee et al. 42.1 / 33.8 / 18.0 / 32.4
# -> 43.6 / 34.4 / 21.0 / 34.1). 256x192 input, ground-truth person boxes at
# test time, AP from mmpose's CocoMetric with the ExLPose sigmas.
#
# Recognizer: the paper's (Lee et al., CVPR 2023, 27.4M params) is not in
# mmpose. The stand-in is mmpose's own ExLPose recipe, a 256x192 HRNet-W32
# (28.5M) trained on ExLPose-LL, inherited below. mmpose publishes its
# checkpoint in configs/body_2d_keypoint/topdown_heatmap/exlpose/
# hrnet_exlpose.yml of mmpose (file
# td-hm_hrnet-w32_8xb64-210e_exlpose-ll-256x192.pth on download.openmmlab.com
# under mmpose/v1/body_2d_keypoint/topdown_heatmap/exlpose/). Download it
# yourself and point `load_from` at the local file:
#   python tools/train.py configs/pose/gpllie_td-hm-hrnet-w32_1xb8-10k_exlpose-256x192.py \
#       --cfg-options load_from=/data/ckpt/td-hm_hrnet-w32_exlpose-ll.pth
# Nothing is downloaded (the backbone's ImageNet init is switched off).
#
# Data: data/ExLPose in the public or the authors' layout (README, "Data").
_base_ = [
    'mmpose::body_2d_keypoint/topdown_heatmap/exlpose/'
    'td-hm_hrnet-w32_8xb64-210e_exlpose-256x192.py',
    '../_base_/datasets/exlpose_ll_4subsets.py',
    '../_base_/schedules/enhancer_adam-5e-4_10k.py'
]
custom_imports = dict(imports=['mmllie'], allow_failed_imports=False)

model = dict(
    # the recognizer comes from `load_from`; no ImageNet init download
    backbone=dict(init_cfg=None),
    data_preprocessor=dict(
        _delete_=True,
        type='mmllie.GlobalPixelwiseEnhancer',
        host=dict(
            type='PoseDataPreprocessor',
            mean=[123.675, 116.28, 103.53],
            std=[58.395, 57.12, 57.375],
            bgr_to_rgb=True),
        enhancer=dict(type='GPLLIE', use_gem=True, use_pam=True)))
load_from = None  # path to the ExLPose-trained top-down checkpoint

# ---- ExLPose (Lee et al. 2023): train on the dark train-LL images ---------
train_dataloader = dict(
    batch_size=8,  # paper: batch 8
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='mmllie.ExLPoseDataset',
        subset='train-LL',
        ann_file='',  # found under data_root by subset name
        image_tree='dark'))
# LL-N, LL-H, LL-E, LL-A in one run, ground-truth boxes (bbox_file=None)
test_dataloader = dict(_delete_=True, **_base_.exlpose_ll_test_dataloader)
test_evaluator = _base_.exlpose_ll_test_evaluator
val_dataloader = test_dataloader
val_evaluator = test_evaluator

# ---- schedule (Adam 5e-4 constant, paper 4.1) and the frozen-recognizer
# guarantee (FreezeRecognizerHook, EnhancerGuardHook, enhancer-only DDP):
# the block every task shares, ../_base_/schedules/enhancer_adam-5e-4_10k.py
optim_wrapper = dict(_delete_=True, **_base_.enhancer_optim_wrapper)
param_scheduler = _base_.enhancer_param_scheduler
train_cfg = dict(_delete_=True, **_base_.enhancer_train_cfg)
# ExLPose has no validation split: the val loop runs on the LL test subsets
# to monitor training only, so no "best" checkpoint is picked on them
# (mmpose's recipe would select on coco/AP); the last one is the result
default_hooks = dict(
    checkpoint=dict(_base_.enhancer_default_hooks.checkpoint, save_best=None),
    logger=_base_.enhancer_default_hooks.logger)
log_processor = dict(by_epoch=False)
custom_hooks = _base_.enhancer_custom_hooks
model_wrapper_cfg = _base_.enhancer_model_wrapper_cfg
auto_scale_lr = dict(base_batch_size=8)
