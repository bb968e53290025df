# GEM + PAM trained with NO labels in front of the FROZEN synthetic-day
# DeepLabV3+: day images only (a folder, no annotation files), darkened on
# the fly, by self-distillation R(E(d(x))) -> R(x). Tested on the darkened
# synthetic city like the labelled-night config. Set `load_from` to the day
# recognizer, shipped as mmllie/benchmarks/checkpoints/
# synthetic_deeplabv3plus_r18-tiny_day-128x256.pth.
_base_ = ['./gpllie_deeplabv3plus-r18-tiny_1xb8-300_synthetic-night-64x128.py']
model = dict(
    _delete_=True,
    type='mmllie.LabelFreeDistiller',
    recognizer={{_base_.model}},
    darkening=dict(type='mmllie.BatchLowLightSynthesis', level='hard'),
    loss=dict(
        type='mmllie.OutputDistillationLoss', kind='kl', temperature=1.0))
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='mmllie.ImageFolderDataset',
        data_root='data/synthetic_city/day',
        data_prefix=dict(img_path='NightCity-images/images/train'),
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='RandomCrop', crop_size=(64, 128)),
            dict(type='RandomFlip', prob=0.5),
            dict(type='PackSegInputs')
        ]))
