# Zero-DCE trained the way its authors train it, by its zero-reference
# losses only (no keypoints, no recognizer; official recipe inherited from
# zero-dce_zero-reference_1xb8-75k_nightcity-256x256.py), on the 256x192 person crops of the
# ExLPose train-LL images (dark/) that the top-down pose estimator later
# sees: the paper's Table 1 baseline ("trained using images from the ExLPose
# dataset", sec. 4.2). Then evaluate it in front of the frozen estimator
# with configs/pose/zero-dce-unsupervised_td-hm-hrnet-w32_exlpose-256x192.py.
_base_ = [
    '../segmentation/zero-dce_zero-reference_1xb8-75k_nightcity-256x256.py'
]
default_scope = 'mmpose'
train_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomBBoxTransform'),
    dict(type='TopdownAffine', input_size=(192, 256)),
    dict(type='PackPoseInputs')
]
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='mmllie.ExLPoseDataset',
        data_root='data/ExLPose/',
        subset='train-LL',
        ann_file='',  # found under data_root by subset name
        image_tree='dark',
        pipeline=train_pipeline))
