# "Your own recognizer, a few of your own frames": an enhancer trained in
# front of a FROZEN recognizer from a handful of DAY frames (with labels,
# darkened on the fly; or images only, self-distillation), measured on real
# frames with a real third-party network (projects/espnetv2_cityscapes,
# 7 training frames): 300 iterations of batch 2 on 128x256 crops, Adam 5e-4,
# the frozen-recognizer and guard hooks. Names are prefixed `few_frames_`:
# this file is a sibling of the user's recognizer config in `_base_` lists.
# Use (an mmseg recognizer; see projects/espnetv2_cityscapes/configs):
#   _base_ = ['./my_recognizer.py',
#             'mmllie::_base_/recipes/gpllie_few-frames_1xb2-300_day2night.py']
#   model = dict(data_preprocessor=dict(
#       host=dict(size=_base_.few_frames_crop_size),
#       enhancer=_base_.few_frames_enhancer))
#   train_pipeline = [dict(type='LoadImageFromFile'),
#                     dict(type='LoadAnnotations'),
#                     dict(type='RandomCrop',
#                          crop_size=_base_.few_frames_crop_size),
#                     dict(type='RandomFlip', prob=0.5),
#                     _base_.few_frames_darkening,
#                     dict(type='PackSegInputs')]
#   train_dataloader = dict(batch_size=2, dataset=dict(pipeline=...), ...)
#   optim_wrapper = _base_.few_frames_optim_wrapper
#   param_scheduler = _base_.few_frames_param_scheduler
#   train_cfg = _base_.few_frames_train_cfg
#   default_hooks = _base_.few_frames_default_hooks
#   custom_hooks = _base_.few_frames_custom_hooks
#   model_wrapper_cfg = _base_.few_frames_model_wrapper_cfg
# Label-free: wrap the model in mmllie.LabelFreeDistiller with
# `darkening=_base_.few_frames_label_free_darkening` and drop the labels and
# the darkening from the pipeline.
_base_ = ['../schedules/enhancer_adam-5e-4_10k.py']
few_frames_iters = 300
few_frames_crop_size = (128, 256)
# The enhancer for a few frames: the noise-gated smoothing stage alone
# (mmllie.NoiseAdaptiveSmoothing, 118 parameters): three Gaussian blurs and
# an edge-preserving self-guided filter blended by the frame's measured
# noise, the prior on the guided filter (a clean frame is left alone), the
# blend learnt through the frozen recognizer. With 7 real frames GEM + PAM
# (578k parameters) learn their training frames and transfer less to unseen
# ones; measured per lever in projects/espnetv2_cityscapes/README.md. With
# hundreds of frames use dict(type='GPLLIE', smoothing=dict(prior_index=1))
# or the paper's dict(type='GPLLIE'). One optional step more (measured
# better on real and generated frames): train mmllie.ResidualDenoiser on the
# same day images (mmllie.DenoiserPretrainer, e.g.
# projects/espnetv2_cityscapes/configs/
# residual-denoiser_1xb4-4k_cityscapes-day2night-128x128.py), export it,
# and give it to the blend as a frozen candidate (index 4, after the guided
# filter):
# smoothing=dict(prior_index=4, denoiser=dict(type='PretrainedEnhancer',
#     checkpoint='denoiser.pth', enhancer=dict(type='ResidualDenoiser')))
few_frames_enhancer = dict(
    type='GPLLIE',
    use_gem=False,
    use_pam=False,
    smoothing=dict(prior_index=3, guided=dict(radius=2)))
# seed=None: new darkness and noise per frame and iteration. Measure the
# darkness of your own night images with
# tools/analysis_tools/fit_low_light.py and set darkness_range /
# shot_noise_range here (the 'normal' preset: darkness 0.05-0.1).
few_frames_darkening = dict(type='mmllie.LowLightSynthesis', level='normal')
few_frames_label_free_darkening = dict(
    type='mmllie.BatchLowLightSynthesis', level='normal')
few_frames_optim_wrapper = _base_.enhancer_optim_wrapper
few_frames_param_scheduler = [
    dict(type='ConstantLR', factor=1.0, by_epoch=False, end=few_frames_iters)
]
few_frames_train_cfg = dict(
    type='IterBasedTrainLoop',
    max_iters=few_frames_iters,
    val_interval=few_frames_iters)
few_frames_default_hooks = dict(
    checkpoint=dict(
        type='CheckpointHook',
        by_epoch=False,
        interval=few_frames_iters,
        max_keep_ckpts=1),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False))
few_frames_custom_hooks = _base_.enhancer_custom_hooks
few_frames_model_wrapper_cfg = _base_.enhancer_model_wrapper_cfg
