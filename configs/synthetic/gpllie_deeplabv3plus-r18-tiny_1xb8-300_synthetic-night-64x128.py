# GEM + PAM trained in front of the FROZEN synthetic-day DeepLabV3+ on the
# darkened synthetic city (128x256 scenes; 64x128 crops in training, whole
# scenes in test), by the recognizer's own loss. Set `load_from` to the day
# recognizer's checkpoint (tools/synthetic_night_benchmark.py does).
_base_ = ['./deeplabv3plus_r18-tiny_1xb8-20k_synthetic-day-64x128.py']
model = dict(
    # the shipped recognizer's ASPP rates (its stage 2, the
    # deeplabv3plus_r18-tiny-ft-lovasz config); it is trained by the
    # cross-entropy of stage 1, not by stage 2's extra Lovasz term
    decode_head=dict(dilations=(1, 2, 3, 4)),
    data_preprocessor=dict(
        _delete_=True,
        type='mmllie.GlobalPixelwiseEnhancer',
        host={{_base_.data_preprocessor}},
        enhancer=dict(type='GPLLIE'),
        channels_last=True))
data_root = 'data/synthetic_city/night-hard'
# crops at the scenes' scale, flipped: not the day recognizer's scale
# augmentation
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='RandomCrop', crop_size=(64, 128)),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackSegInputs')
]
train_dataloader = dict(
    dataset=dict(data_root=data_root, pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
optim_wrapper = dict(optimizer=dict(type='Adam', lr=5e-4))
param_scheduler = [
    dict(type='ConstantLR', factor=1.0, by_epoch=False, end=300)
]
train_cfg = dict(max_iters=300, val_interval=300)
default_hooks = dict(checkpoint=dict(interval=300))
custom_hooks = [dict(type='mmllie.FreezeRecognizerHook')]
model_wrapper_cfg = dict(type='mmllie.EnhancerDistributedDataParallel')
