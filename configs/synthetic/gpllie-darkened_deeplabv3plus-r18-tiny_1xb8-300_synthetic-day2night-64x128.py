# GEM + PAM trained in front of the FROZEN synthetic-day DeepLabV3+ on DAY
# images with their labels, darkened at random every iteration by
# mmllie.LowLightSynthesis (the MAET recipe); tested on the darkened
# synthetic city. Set `load_from` to the day recognizer.
_base_ = ['./gpllie_deeplabv3plus-r18-tiny_1xb8-300_synthetic-night-64x128.py']
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='RandomCrop', crop_size=(64, 128)),
    dict(type='mmllie.LowLightSynthesis', level='hard'),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackSegInputs')
]
train_dataloader = dict(
    dataset=dict(data_root='data/synthetic_city/day', pipeline=train_pipeline))
