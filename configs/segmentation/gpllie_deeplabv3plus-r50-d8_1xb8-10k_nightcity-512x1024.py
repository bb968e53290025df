# GEM + PAM in front of a frozen Cityscapes DeepLabV3+ ResNet-50-D8 (mmseg's
# deeplabv3plus_r50-d8_4xb2-80k_cityscapes-512x1024.py; its checkpoint in
# mmseg's model zoo is the `load_from`), on NightCity: the MobileNetV2 config
# with mmseg's ResNet-50-D8 backbone and head widths, as mmseg's mobilenet_v2
# recipe is its ResNet one with another backbone. Recipe, data, schedule and
# enhancer are said once, in the MobileNetV2 config.
_base_ = './gpllie_deeplabv3plus-mbv2-d8_1xb8-10k_nightcity-512x1024.py'
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
