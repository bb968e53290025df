# The recognizer itself: a ResNet-18 trained on CODaN `train` (10,000 day
# images, 10 classes), with mmpretrain's own ImageNet ResNet-18 recipe
# (SGD 0.1 for 8x32 images, steps at epochs 30/60/90, 100 epochs, random
# init). It is what the enhancer configs (gpllie_resnet18_1xb8-10k_codan-224x224.py, ...) keep
# FROZEN; no CODaN checkpoint is published in mmpretrain's format, so train
# it once:
#   python tools/train.py configs/classification/resnet18_8xb32-100e_codan-day-224x224.py   # or:
#   bash tools/dist_train.sh configs/classification/resnet18_8xb32-100e_codan-day-224x224.py 8
# (on fewer GPUs, scale the lr: --cfg-options optim_wrapper.optimizer.lr=
# 0.0125 for 1x32). Validation on the day `val` split picks the best epoch;
# the test reports test_night and test_day top-1 in one run (the authors'
# ResNet-18: 48.3 % night / 80.4 % day):
#   python tools/test.py configs/classification/resnet18_8xb32-100e_codan-day-224x224.py \
#       work_dirs/resnet18_8xb32-100e_codan-day-224x224/best_accuracy_top1_epoch_N.pth
# Data: data/CODaN/data/{train,val,test_day,test_night}/<Class>/ (README,
# "Classification").
_base_ = [
    'mmpretrain::resnet/resnet18_8xb32_in1k.py',
    '../_base_/datasets/codan_day_night.py'
]
custom_imports = dict(imports=['mmllie'], allow_failed_imports=False)

data_preprocessor = dict(num_classes=10)
model = dict(head=dict(num_classes=10, topk=(1, )))

# ---- CODaN (Lengyel et al. 2021), 224x224 images ---------------------------
dataset_type = 'mmllie.CODaNDataset'
data_root = 'data/CODaN/data/'
train_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root, split='train'))
val_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='val',
        # 224x224 images: no 256-resize-and-crop, which would zoom in
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='ResizeEdge', scale=224, edge='short'),
            dict(type='CenterCrop', crop_size=224),
            dict(type='PackInputs')
        ]))
val_evaluator = dict(type='Accuracy', topk=(1, ))
# test_night and test_day in one run
test_dataloader = dict(_delete_=True, **_base_.codan_test_dataloader)
test_evaluator = _base_.codan_test_evaluator

default_hooks = dict(
    checkpoint=dict(
        interval=1,
        max_keep_ckpts=3,
        save_best='accuracy/top1',
        rule='greater'))
