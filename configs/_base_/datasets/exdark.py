# ExDark (Loh & Chan 2019), official release layout, for an enhancer in
# front of a frozen COCO-trained mmdet detector: labels in COCO's 80-class
# index space, metrics over ExDark's 12 classes. Names are prefixed
# `exdark_`: this file is a sibling of an mmdet recipe in `_base_` lists,
# whose own keys it must not repeat. The pipelines are the detector's (its
# input size); use:
#   train_dataloader = dict(
#       **_base_.exdark_train_loader,
#       dataset=dict(_base_.exdark_dataset, _delete_=True, split='train',
#                    pipeline=train_pipeline))
exdark_dataset = dict(type='mmllie.ExDarkDataset', data_root='data/ExDark/')
exdark_train_loader = dict(
    batch_size=8,  # paper: batch 8
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    batch_sampler=None)
exdark_test_loader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False))
# CocoMetric's ground truth: the test pipeline packs `instances`
exdark_test_meta_keys = ('img_id', 'img_path', 'ori_shape', 'img_shape',
                         'scale_factor', 'instances')
# mAP@0.5 as the papers report (mmdet's VOCMetric) and COCO AP@[.5:.95],
# both over ExDark's 12 classes only
exdark_evaluator = [
    dict(
        type='mmllie.ClassSubsetMetric',
        metric=dict(
            type='VOCMetric', metric='mAP', iou_thrs=[0.5], eval_mode='area')),
    dict(
        type='mmllie.ClassSubsetMetric',
        metric=dict(type='CocoMetric', metric='bbox'))
]
