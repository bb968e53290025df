# Zero-DCE trained the way its authors train it (Guo et al., CVPR 2020):
# by the four zero-reference losses (mmllie.ZeroReferenceLoss, eq. 8: spatial
# consistency, exposure control E = 0.6 on 16x16 patches, colour constancy,
# illumination smoothness; weights 1, 10, 5, 200) on night images alone. No
# labels and no recognizer: this is the recognizer-agnostic baseline of the
# paper's comparison. Official recipe (Li-Chongyi/Zero-DCE,
# lowlight_train.py): Adam lr 1e-4, weight decay 1e-4, gradient-norm clip 0.1,
# batch 8, 256x256 images, 200 epochs.
#
# Here: 256x256 random crops of the NightCity train images at full
# resolution (the scale the enhancer later sees in front of the recognizer),
# 75,000 iterations = 200 epochs of NightCity's 2,998 train images at batch 8.
#   python tools/train.py configs/segmentation/zero-dce_zero-reference_1xb8-75k_nightcity-256x256.py
# then evaluate it in front of the frozen recognizer with
# configs/segmentation/zero-dce-unsupervised_deeplabv3plus-mbv2-d8_nightcity-512x1024.py.
_base_ = ['mmseg::_base_/default_runtime.py']
custom_imports = dict(imports=['mmllie'], allow_failed_imports=False)

model = dict(
    type='mmllie.ZeroDCEUnsupervised',
    enhancer=dict(type='mmllie.ZeroDCE'),
    loss=dict(type='mmllie.ZeroReferenceLoss'))

# ---- NightCity train images only (no labels are read) ---------------------
data_root = 'data/NightCity/'
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomCrop', crop_size=(256, 256)),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackSegInputs')
]
train_dataloader = dict(
    batch_size=8,  # official: 8
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='BaseSegDataset',  # images only: no seg_map_path
        data_root=data_root,
        img_suffix='.png',
        data_prefix=dict(img_path='NightCity-images/images/train'),
        pipeline=train_pipeline))

# ---- the official schedule -------------------------------------------------
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=1e-4, weight_decay=1e-4),
    clip_grad=dict(max_norm=0.1, norm_type=2))
param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False)]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=75000)
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='CheckpointHook', by_epoch=False, interval=5000,
        max_keep_ckpts=3),
    sampler_seed=dict(type='DistSamplerSeedHook'))
# nothing to draw; mmengine's Visualizer builds in any default_scope
visualizer = dict(type='Visualizer')
randomness = dict(seed=0)
