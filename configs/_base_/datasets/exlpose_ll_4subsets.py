# ExLPose low-light test sets LL-N, LL-H, LL-E and LL-A in ONE test run:
# a ConcatDataset of the four subsets (ground-truth boxes, top-down 256x192)
# and one mmllie.SubsetCocoMetric per subset (mmpose's CocoMetric with the
# ExLPose sigmas, restricted to that subset's samples). Metric keys:
# 'LL-N/coco/AP', 'LL-N/coco/AP .5', ..., 'LL-A/coco/AR (L)'.
# Annotation files are found under `data_root` by subset name, in the public
# (annotations/ExLPose/ExLPose_test_LL-A.json) or the authors' layout
# (Annotations/ExLPose/ExLPose_test_LL-All.json); images are read from dark/.
# `data_root` is baked into the dataset list below: symlink your copy to
# data/ExLPose, or redefine `test_dataloader` in the child config.
custom_imports = dict(imports=['mmllie'], allow_failed_imports=False)

dataset_type = 'mmllie.ExLPoseDataset'
data_mode = 'topdown'
data_root = 'data/ExLPose/'
ll_subsets = ['LL-N', 'LL-H', 'LL-E', 'LL-A']

test_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=(192, 256)),
    dict(type='PackPoseInputs')
]

test_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
    dataset=dict(
        type='ConcatDataset',
        # the subsets differ only in their names
        ignore_keys=['dataset_name', 'subset'],
        datasets=[
            dict(
                type=dataset_type,
                subset=subset,
                data_root=data_root,
                data_mode=data_mode,
                data_prefix=dict(img=''),
                image_tree='dark',
                bbox_file=None,
                test_mode=True,
                pipeline=test_pipeline) for subset in ll_subsets
        ]))
test_evaluator = [
    dict(
        type='mmllie.SubsetCocoMetric',
        dataset_name=f'exlpose_{subset}',
        prefix=f'{subset}/coco',
        use_area=False) for subset in ll_subsets
]
