# GEM + PAM trained with NO labels in front of the FROZEN Cityscapes
# DeepLabV3+: from Cityscapes DAY images only (mmseg's CityscapesDataset,
# labels never loaded: gtFine may be absent), each darkened on the fly by
# mmllie.BatchLowLightSynthesis (new darkness and noise per iteration), by
# self-distillation R(E(d(x))) -> R(x) on the recognizer's raw logits (KL,
# T = 1). Validated / tested on NightCity val with the ordinary enhancer +
# recognizer path and mIoU, as configs/nightcity_deeplabv3plus_gpllie.py.
#   python tools/train.py \
#       configs/segmentation/gpllie-label-free_deeplabv3plus-mbv2-d8_1xb8-10k_cityscapes2nightcity-512x1024.py \
#       --cfg-options load_from=/data/ckpt/deeplabv3plus_m-v2-d8_cityscapes.pth
# The checkpoints have the plain config's keys: test them with it, or export
# the enhancer with tools/model_converters/export_enhancer.py.
_base_ = [
    './gpllie_deeplabv3plus-mbv2-d8_1xb8-10k_nightcity-512x1024.py',
    '../_base_/datasets/cityscapes_day_train.py'
]
model = dict(
    _delete_=True,
    type='mmllie.LabelFreeDistiller',
    recognizer={{_base_.model}},
    # 'full': the published darkness / noise ranges (MAET)
    darkening=dict(type='mmllie.BatchLowLightSynthesis', level='full'),
    loss=dict(
        type='mmllie.OutputDistillationLoss', kind='kl', temperature=1.0))
label_free_pipeline = [
    dict(type='LoadImageFromFile'),  # no labels loaded
    _base_.cityscapes_day_random_resize,
    dict(type='RandomCrop', crop_size={{_base_.crop_size}}),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackSegInputs')
]
train_dataloader = dict(
    dataset=dict(
        _base_.cityscapes_day_train_dataset,
        _delete_=True,
        pipeline=label_free_pipeline))
