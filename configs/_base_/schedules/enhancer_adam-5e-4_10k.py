# Training an enhancer in front of a frozen recognizer: Adam 5e-4, constant
# (paper 4.1; its lr exponent is lost, "5x10^?"), 10k iterations, the
# frozen-recognizer hook and the enhancer-only DDP wrapper. Names are
# prefixed `enhancer_`: this file is a sibling of a host recipe in `_base_`
# lists, whose own keys it must not repeat. Use:
#   optim_wrapper = dict(_delete_=True, **_base_.enhancer_optim_wrapper)
# Automatic mixed precision on a GPU (bf16 autocast where supported, else
# fp16 with loss scaling), plain float32 on a CPU; the training memory it
# saves is measured in docs/en/benchmarks/speed.md.
enhancer_optim_wrapper = dict(
    type='mmllie.AutoAmpOptimWrapper',
    optimizer=dict(type='Adam', lr=5e-4, betas=(0.9, 0.999)),
    clip_grad=None)
enhancer_param_scheduler = [
    dict(type='ConstantLR', factor=1.0, by_epoch=False)
]
enhancer_train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=10000, val_interval=1000)
enhancer_default_hooks = dict(
    checkpoint=dict(
        type='CheckpointHook', by_epoch=False, interval=1000,
        max_keep_ckpts=3),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False))
# the frozen-recognizer guarantee
enhancer_custom_hooks = [
    dict(type='mmllie.FreezeRecognizerHook'),
    # end of training: no enhancer / start / trained side by side, a warning
    # if the trained enhancer is worse (work_dir/enhancer_guard.json)
    dict(type='mmllie.EnhancerGuardHook'),
    # a scheduler's SIGTERM: checkpoint of the iteration reached, then exit
    dict(type='mmllie.SignalCheckpointHook'),
]
# DDP around the enhancer only; on CPU (tools/dist_train.sh with gloo) it
# also turns the recognizer's SyncBN into BN (eval mode: the same maths)
enhancer_model_wrapper_cfg = dict(
    type='mmllie.EnhancerDistributedDataParallel')
