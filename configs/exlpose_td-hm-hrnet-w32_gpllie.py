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
#   python tools/train.py configs/exlpose_td-hm-hrnet-w32_gpllie.py \
#       --cfg-options load_from=/data/ckpt/td-hm_hrnet-w32_exlpose-ll.pth
# Nothing is downloaded (the backbone's ImageNet init is switched off).
#
# Data: data/ExLPose in the public or the authors' layout (README, "Data").
_base_ = [
    'mmpose::body_2d_keypoint/topdown_heatmap/exlpose/'
    'td-hm_hrnet-w32_8xb64-210e_exlpose-256x192.py',
    './_base_/datasets/exlpose_ll_4subsets.py'
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

# ---- schedule: Adam, batch 8 (paper 4.1); the paper's lr exponent is lost
# ("5x10^?"): 5e-4, constant, as for NightCity ---------------------------
optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=5e-4, betas=(0.9, 0.999)),
    clip_grad=None)
param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False)]
auto_scale_lr = dict(base_batch_size=8)
train_cfg = dict(
    _delete_=True,
    type='IterBasedTrainLoop',
    max_iters=10000,
    val_interval=1000)
default_hooks = dict(
    checkpoint=dict(
        type='CheckpointHook',
        by_epoch=False,
        interval=1000,
        max_keep_ckpts=3,
        save_best='LL-A/coco/AP',
        rule='greater'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False))
log_processor = dict(by_epoch=False)

# ---- the frozen-recognizer guarantee -------------------------------------
custom_hooks = [dict(type='mmllie.FreezeRecognizerHook')]
model_wrapper_cfg = dict(type='mmllie.EnhancerDistributedDataParallel')
