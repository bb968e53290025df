# GEM + PAM trained in front of the FROZEN synthetic-day RTMDet-nano on the
# darkened synthetic city, by the detector's own loss. Set `load_from` to the
# day detector's checkpoint (tools/synthetic_night_benchmark.py --task
# detection does).
_base_ = ['./rtmdet-nano_1xb8-2k_synthetic-day-128x256.py']
model = dict(
    data_preprocessor=dict(
        _delete_=True,
        type='mmllie.GlobalPixelwiseEnhancer',
        host={{_base_.model.data_preprocessor}},
        enhancer=dict(type='GPLLIE')))
data_root = 'data/synthetic_city_det/night-hard/'
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
optim_wrapper = dict(
    _delete_=True, type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-4))
param_scheduler = [
    dict(type='ConstantLR', factor=1.0, by_epoch=False, end=300)
]
train_cfg = dict(max_iters=300, val_interval=300)
default_hooks = dict(checkpoint=dict(interval=300))
custom_hooks = [dict(type='mmllie.FreezeRecognizerHook')]
model_wrapper_cfg = dict(type='mmllie.EnhancerDistributedDataParallel')
