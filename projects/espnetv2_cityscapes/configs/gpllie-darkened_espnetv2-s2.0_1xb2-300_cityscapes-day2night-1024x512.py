# The few-frames enhancer (the recipe's: noise-gated smoothing) trained in
# front of the FROZEN ESPNetv2 on the user's labelled DAY frames (Cityscapes
# layout), darkened at random every iteration by mmllie.LowLightSynthesis,
# by the recognizer's own loss; tested on the val
# frames darkened with a fixed seed (level: the test pipeline's third
# transform). Schedule, crop, darkening and hooks: mmllie's few-frames
# recipe. Set load_from to the converted weights (../tools/edgenets2mmseg.py):
#   python tools/train.py \
#       projects/espnetv2_cityscapes/configs/gpllie-darkened_espnetv2-s2.0_1xb2-300_cityscapes-day2night-1024x512.py \
#       --cfg-options load_from=espnetv2_s2.0_city_mmseg.pth \
#       train_dataloader.dataset.data_root=data/cityscapes \
#       val_dataloader.dataset.data_root=data/cityscapes
_base_ = [
    './no-enhancer_espnetv2-s2.0_cityscapes-night-1024x512.py',
    'mmllie::_base_/recipes/gpllie_few-frames_1xb2-300_day2night.py'
]
crop_size = _base_.few_frames_crop_size
model = dict(
    data_preprocessor=dict(
        host=dict(size=crop_size),  # training batches: crops, unpadded
        enhancer=dict(_delete_=True, **_base_.few_frames_enhancer)))
darkened_day_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='RandomFlip', prob=0.5), _base_.few_frames_darkening,
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
optim_wrapper = _base_.few_frames_optim_wrapper
param_scheduler = _base_.few_frames_param_scheduler
train_cfg = _base_.few_frames_train_cfg
default_hooks = _base_.few_frames_default_hooks
custom_hooks = _base_.few_frames_custom_hooks
model_wrapper_cfg = _base_.few_frames_model_wrapper_cfg
