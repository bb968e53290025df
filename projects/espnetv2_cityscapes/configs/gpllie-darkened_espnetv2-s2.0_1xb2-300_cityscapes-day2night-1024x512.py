# GEM + PAM trained in front of the FROZEN ESPNetv2 on the user's labelled
# DAY frames (Cityscapes layout), darkened at random every iteration by
# mmllie.LowLightSynthesis, by the recognizer's own loss; tested on the val
# frames darkened with a fixed seed (level: the test pipeline's third
# transform). Set load_from to the converted weights
# (../tools/edgenets2mmseg.py):
#   python tools/train.py \
#       projects/espnetv2_cityscapes/configs/gpllie-darkened_espnetv2-s2.0_1xb2-300_cityscapes-day2night-1024x512.py \
#       --cfg-options load_from=espnetv2_s2.0_city_mmseg.pth \
#       train_dataloader.dataset.data_root=data/cityscapes \
#       val_dataloader.dataset.data_root=data/cityscapes
_base_ = [
    './no-enhancer_espnetv2-s2.0_cityscapes-night-1024x512.py',
    'mmllie::_base_/schedules/enhancer_adam-5e-4_10k.py'
]
crop_size = (128, 256)
model = dict(
    data_preprocessor=dict(
        host=dict(size=crop_size),  # training batches: crops, unpadded
        enhancer=dict(_delete_=True, type='GPLLIE')))
darkened_day_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='RandomFlip', prob=0.5),
    # seed=None: new darkness and noise per frame and iteration
    dict(type='mmllie.LowLightSynthesis', level='normal'),
    dict(type='PackSegInputs')
]
train_dataloader = dict(
    batch_size=2,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type={{_base_.dataset_type}},
        data_root={{_base_.data_root}},
        data_prefix=dict(
            img_path='leftImg8bit/train', seg_map_path='gtFine/train'),
        pipeline=darkened_day_pipeline))
iters = 300
optim_wrapper = _base_.enhancer_optim_wrapper
param_scheduler = [
    dict(type='ConstantLR', factor=1.0, by_epoch=False, end=iters)
]
train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=iters, val_interval=iters)
default_hooks = dict(
    checkpoint=dict(
        type='CheckpointHook',
        by_epoch=False,
        interval=iters,
        max_keep_ckpts=1),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False))
custom_hooks = _base_.enhancer_custom_hooks
model_wrapper_cfg = _base_.enhancer_model_wrapper_cfg
