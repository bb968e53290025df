# The few-frames recipe's label-free way on the generated city (see
# ./gpllie-darkened_deeplabv3plus-r18-tiny_1xb2-300_synthetic-cityscapes-day2night-32x64.py):
# the same day scenes, images only, darkened on the fly by
# mmllie.BatchLowLightSynthesis, self-distillation R(E(d(x))) -> R(x) on the
# frozen recognizer's logits (KL, T = 1). Tested like the labelled config;
# its checkpoints have that config's keys.
_base_ = [
    './gpllie-darkened_deeplabv3plus-r18-tiny_1xb2-300_synthetic-cityscapes-day2night-32x64.py'  # noqa: E501
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
