# GEM + PAM in front of a frozen Cityscapes DeepLabV3+ ResNet-50-D8
# (mmseg: deeplabv3plus_r50-d8_4xb2-80k_cityscapes-512x1024.py).
_base_ = './nightcity_deeplabv3plus_gpllie.py'
model = dict(
    backbone=dict(
        _delete_=True,
        type='ResNetV1c',
        depth=50,
        num_stages=4,
        out_indices=(0, 1, 2, 3),
        dilations=(1, 1, 2, 4),
        strides=(1, 2, 1, 1),
        norm_cfg=dict(type='SyncBN', requires_grad=True),
        norm_eval=False,
        style='pytorch',
        contract_dilation=True),
    decode_head=dict(in_channels=2048, c1_in_channels=256),
    auxiliary_head=dict(in_channels=1024))
