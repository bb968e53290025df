# GEM + PAM trained with NO labels in front of the FROZEN CODaN day ResNet-18:
# from the day `train` images only (mmllie.ImageFolderDataset: the class
# folders are read as bare images, no label is loaded), each darkened on the
# fly by mmllie.BatchLowLightSynthesis (new darkness and noise per
# iteration), by self-distillation R(E(d(x))) -> R(x) on the classifier's
# logits (KL, T = 1). Validated on the darkened day `val` split and tested on
# test_night + test_day like configs/classification/gpllie_resnet18_1xb8-10k_codan-224x224.py.
#   python tools/train.py configs/classification/gpllie-label-free_resnet18_1xb8-10k_codan-224x224.py \
#       --cfg-options load_from=work_dirs/resnet18_8xb32-100e_codan-day-224x224/best_accuracy_top1_epoch_N.pth  # noqa: E501
# The checkpoints have the plain config's keys: test them with
# configs/classification/gpllie_resnet18_1xb8-10k_codan-224x224.py.
_base_ = ['./gpllie_resnet18_1xb8-10k_codan-224x224.py']
model = dict(
    _delete_=True,
    type='mmllie.LabelFreeDistiller',
    recognizer={{_base_.model}},
    # 'full': the published darkness / noise ranges (MAET)
    darkening=dict(type='mmllie.BatchLowLightSynthesis', level='full'),
    loss=dict(
        type='mmllie.OutputDistillationLoss', kind='kl', temperature=1.0))
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='mmllie.ImageFolderDataset',
        data_root='data/CODaN/data/',
        data_prefix=dict(img_path='train'),
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='RandomResizedCrop', scale=224),
            dict(type='RandomFlip', prob=0.5, direction='horizontal'),
            dict(type='PackInputs'),
        ]))
