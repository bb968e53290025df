# A learnt denoiser for the few-frames recipe, trained WITHOUT the
# recognizer: the user's DAY frames (images only, Cityscapes layout), each
# 128x128 crop darkened on the fly by mmllie.BatchLowLightSynthesis, and the
# denoiser (mmllie.ResidualDenoiser, 119k parameters) trained by the
# brightness-relative MSE to the same darkening without the noise
# (mmllie.DenoiserPretrainer). Darken as the recipe does: its level, or the
# darkness_range / shot_noise_range that tools/analysis_tools/
# fit_low_light.py fitted to your night images (model.darkening.*); one
# denoiser for a wider range than the target's helps less (measured in
# projects/espnetv2_cityscapes/README.md). Then export it and give it to the
# recipe's smoothing as a frozen candidate:
#   python tools/train.py \
#       projects/espnetv2_cityscapes/configs/residual-denoiser_1xb4-4k_cityscapes-day2night-128x128.py \
#       --work-dir work_dirs/denoiser \
#       --cfg-options train_dataloader.dataset.data_root=data/cityscapes
#   python tools/model_converters/export_enhancer.py \
#       work_dirs/denoiser/iter_4000.pth work_dirs/denoiser.pth
#   # in the recipe's enhancer:
#   smoothing=dict(prior_index=4, denoiser=dict(type='PretrainedEnhancer',
#       checkpoint='work_dirs/denoiser.pth',
#       enhancer=dict(type='ResidualDenoiser')))
default_scope = 'mmseg'
custom_imports = dict(imports=['mmseg.datasets'], allow_failed_imports=False)
iters = 4000
crop_size = (128, 128)
model = dict(
    type='mmllie.DenoiserPretrainer',
    enhancer=dict(type='mmllie.ResidualDenoiser', width=16),
    darkening=dict(level='hard'))
train_dataloader = dict(
    batch_size=4,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='CityscapesDataset',
        data_root='data/cityscapes',
        data_prefix=dict(
            img_path='leftImg8bit/train', seg_map_path='gtFine/train'),
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='RandomCrop', crop_size=crop_size),
            dict(type='RandomFlip', prob=0.5),
            dict(type='PackSegInputs')
        ]))
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-3))
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=iters, by_epoch=False, end=iters)
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=iters)
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=100, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='CheckpointHook',
        by_epoch=False,
        interval=iters,
        max_keep_ckpts=1),
    sampler_seed=dict(type='DistSamplerSeedHook'))
env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'))
log_processor = dict(by_epoch=False)
log_level = 'INFO'
load_from = None
resume = False
randomness = dict(seed=0)
