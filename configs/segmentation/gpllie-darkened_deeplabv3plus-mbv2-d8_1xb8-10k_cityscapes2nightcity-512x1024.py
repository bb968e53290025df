# GEM + PAM trained in front of the FROZEN Cityscapes DeepLabV3+ on
# Cityscapes DAY images WITH their labels, each darkened at random every
# iteration by mmllie.LowLightSynthesis (the MAET recipe: unprocessing with
# the published ranges), by the recognizer's own loss. Tested on NightCity
# val (see also dark-zurich_* and night-driving_*):
#   python tools/train.py \
#       configs/segmentation/gpllie-darkened_deeplabv3plus-mbv2-d8_1xb8-10k_cityscapes2nightcity-512x1024.py \
#       --cfg-options load_from=/data/ckpt/deeplabv3plus_m-v2-d8_cityscapes.pth
_base_ = [
    './gpllie_deeplabv3plus-mbv2-d8_1xb8-10k_nightcity-512x1024.py',
    '../_base_/datasets/cityscapes_day_train.py'
]
darkened_day_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    _base_.cityscapes_day_random_resize,
    dict(
        type='RandomCrop', crop_size={{_base_.crop_size}}, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    # seed=None: new darkness and noise per image and iteration
    dict(type='mmllie.LowLightSynthesis', level='full'),
    dict(type='PackSegInputs')
]
train_dataloader = dict(
    dataset=dict(
        _base_.cityscapes_day_train_dataset,
        _delete_=True,
        pipeline=darkened_day_pipeline))
