# GEM + PAM trained with NO keypoint labels in front of the FROZEN top-down
# HRNet-W32: from ExLPose's WELL-LIT train-WL person boxes (bright/ images;
# the boxes crop the persons, keypoints are never read by the pipeline),
# each crop darkened on the fly by mmllie.BatchLowLightSynthesis, by
# self-distillation of the estimator's own heatmaps (relative MSE). Tested
# on LL-N / LL-H / LL-E / LL-A like configs/pose/gpllie_td-hm-hrnet-w32_1xb8-10k_exlpose-256x192.py.
#   python tools/train.py \
#       configs/pose/gpllie-label-free_td-hm-hrnet-w32_1xb8-10k_exlpose-wl2ll-256x192.py \
#       --cfg-options load_from=/data/ckpt/td-hm_hrnet-w32_exlpose-ll.pth
# Person crops without any annotation file: mmllie.ImageFolderDataset with
# LoadImage -> mmllie.WholeImageBBox -> GetBBoxCenterScale -> TopdownAffine.
_base_ = ['./gpllie_td-hm-hrnet-w32_1xb8-10k_exlpose-256x192.py']
model = dict(
    _delete_=True,
    type='mmllie.LabelFreeDistiller',
    recognizer={{_base_.model}},
    darkening=dict(type='mmllie.BatchLowLightSynthesis', level='full'),
    loss=dict(type='mmllie.OutputDistillationLoss', kind='mse'))
train_dataloader = dict(
    dataset=dict(
        subset='train-WL',
        image_tree='bright',
        pipeline=[
            dict(type='LoadImage'),
            dict(type='GetBBoxCenterScale'),
            dict(type='RandomFlip', direction='horizontal'),
            dict(type='RandomBBoxTransform'),
            dict(type='TopdownAffine', input_size=(192, 256)),
            dict(type='PackPoseInputs')
        ]))
