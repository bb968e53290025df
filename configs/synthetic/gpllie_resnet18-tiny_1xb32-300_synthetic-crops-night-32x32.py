# GEM + PAM trained in front of the FROZEN synthetic-day crop classifier on
# crops of the darkened synthetic city, by the classifier's own
# cross-entropy. Set `load_from` to the day classifier's checkpoint
# (tools/synthetic_night_benchmark.py --task classification does).
_base_ = ['./resnet18-tiny_1xb32-1500_synthetic-crops-day-32x32.py']
model = dict(
    data_preprocessor=dict(
        _delete_=True,
        type='mmllie.GlobalPixelwiseEnhancer',
        host={{_base_.data_preprocessor}},
        enhancer=dict(type='GPLLIE')))
data_root = 'data/synthetic_city_64x128/crops-night-hard'
train_dataloader = dict(dataset=dict(data_root=data_root))
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
