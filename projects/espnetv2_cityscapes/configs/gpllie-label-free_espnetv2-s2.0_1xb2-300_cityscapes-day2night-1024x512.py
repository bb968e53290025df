# The few-frames enhancer trained with NO labels in front of the FROZEN
# ESPNetv2: the user's DAY frames (images only; gtFine may be absent), each
# darkened on the fly by mmllie.BatchLowLightSynthesis, by self-distillation
# R(E(d(x))) -> R(x) on the network's raw logits (KL, T = 1). Validated and
# tested like the labelled recipe; its checkpoints have that config's keys.
#   python tools/train.py \
#       projects/espnetv2_cityscapes/configs/gpllie-label-free_espnetv2-s2.0_1xb2-300_cityscapes-day2night-1024x512.py \
#       --cfg-options load_from=espnetv2_s2.0_city_mmseg.pth \
#       train_dataloader.dataset.data_root=data/cityscapes \
#       val_dataloader.dataset.data_root=data/cityscapes
_base_ = [
    './gpllie-darkened_espnetv2-s2.0_1xb2-300_cityscapes-day2night-1024x512.py'
]
model = dict(
    _delete_=True,
    type='mmllie.LabelFreeDistiller',
    recognizer={{_base_.model}},
    darkening=_base_.few_frames_label_free_darkening,
    loss=dict(
        type='mmllie.OutputDistillationLoss', kind='kl', temperature=1.0))
label_free_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomCrop', crop_size={{_base_.crop_size}}),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackSegInputs')
]
train_dataloader = dict(dataset=dict(pipeline=label_free_pipeline))
