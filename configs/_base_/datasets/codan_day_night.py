# CODaN test_night and test_day in ONE test run: a ConcatDataset of the two
# splits and one mmllie.SubsetAccuracy per split (mmpretrain's Accuracy,
# restricted to that split's samples). Metric keys:
# 'test_night/accuracy/top1', 'test_day/accuracy/top1'.
# Images are 224x224; the test pipeline keeps them as they are (other sizes
# are resized to 224 on the short edge and centre-cropped).
# `data_root` is baked into the dataset list below: symlink your copy to
# data/CODaN/data, or redefine the dataloaders in the child config.
# Names are prefixed `codan_` so this file can sit next to a complete
# mmpretrain recipe in `_base_` (mmengine refuses keys defined by two bases);
# the child picks them up:
#   test_dataloader = dict(_delete_=True, **_base_.codan_test_dataloader)
#   test_evaluator = _base_.codan_test_evaluator
custom_imports = dict(imports=['mmllie'], allow_failed_imports=False)

codan_data_root = 'data/CODaN/data/'
codan_test_splits = ['test_night', 'test_day']
codan_test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='ResizeEdge', scale=224, edge='short'),
    dict(type='CenterCrop', crop_size=224),
    # `split` tells SubsetAccuracy which test set a sample is from
    dict(
        type='PackInputs',
        meta_keys=('sample_idx', 'img_path', 'ori_shape', 'img_shape',
                   'scale_factor', 'flip', 'flip_direction', 'split')),
]
codan_test_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
    dataset=dict(
        type='ConcatDataset',
        datasets=[
            dict(
                type='mmllie.CODaNDataset',
                data_root=codan_data_root,
                split=split,
                test_mode=True,
                pipeline=codan_test_pipeline) for split in codan_test_splits
        ]))
codan_test_evaluator = [
    dict(type='mmllie.SubsetAccuracy', subset=split, topk=(1, ))
    for split in codan_test_splits
]
