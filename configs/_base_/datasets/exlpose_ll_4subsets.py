# ExLPose low-light test sets LL-N, LL-H, LL-E and LL-A in ONE test run:
# a ConcatDataset of the four subsets (ground-truth boxes, top-down 256x192)
# and one mmllie.SubsetCocoMetric per subset (mmpose's CocoMetric with the
# ExLPose sigmas, restricted to that subset's samples). Metric keys:
# 'LL-N/coco/AP', 'LL-N/coco/AP .5', ..., 'LL-A/coco/AR (L)'.
# Annotation files are found under `data_root` by subset name, in the public
# (annotations/ExLPose/ExLPose_test_LL-A.json) or the authors' layout
# (Annotations/ExLPose/ExLPose_test_LL-All.json); images are read from dark/.
# `data_root` is baked into the dataset list below: symlink your copy to
# data/ExLPose, or redefine the dataloaders in the child config.
# Names are prefixed `exlpose_ll_` so this file can sit next to a complete
# mmpose recipe in `_base_` (mmengine refuses keys defined by two bases);
# the child picks them up:
#   test_dataloader = dict(_delete_=True, **_base_.exlpose_ll_test_dataloader)
#   test_evaluator = _base_.exlpose_ll_test_evaluator
custom_imports = dict(imports=['mmllie'], allow_failed_imports=False)

exlpose_ll_data_root = 'data/ExLPose/'
exlpose_ll_subsets = ['LL-N', 'LL-H', 'LL-E', 'LL-A']

exlpose_ll_test_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=(192, 256)),
    dict(type='PackPoseInputs')
]

exlpose_ll_test_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
    dataset=dict(
        # a ConcatDataset whose `pipeline` is shared, so inferencers that
        # read test_dataloader.dataset.pipeline work (MMPoseInferencer)
        type='mmllie.ConcatSubsets',
        pipeline=exlpose_ll_test_pipeline,
        # the subsets differ only in their names
        ignore_keys=['dataset_name', 'subset'],
        datasets=[
            dict(
                type='mmllie.ExLPoseDataset',
                subset=subset,
                data_root=exlpose_ll_data_root,
                data_mode='topdown',
                data_prefix=dict(img=''),
                image_tree='dark',
                bbox_file=None,
                test_mode=True) for subset in exlpose_ll_subsets
        ]))
exlpose_ll_test_evaluator = [
    dict(
        type='mmllie.SubsetCocoMetric',
        dataset_name=f'exlpose_{subset}',
        prefix=f'{subset}/coco',
        use_area=False) for subset in exlpose_ll_subsets
]
