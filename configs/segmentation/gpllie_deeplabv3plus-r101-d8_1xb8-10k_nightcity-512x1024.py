# GEM + PAM in front of a frozen Cityscapes DeepLabV3+ ResNet-101-D8, mmseg's
# own recipe (deeplabv3plus_r101-d8_4xb2-80k_cityscapes-512x1024.py: the r50
# one with a deeper backbone; its checkpoint in mmseg's model zoo is the
# `load_from`), on NightCity.
_base_ = './gpllie_deeplabv3plus-r50-d8_1xb8-10k_nightcity-512x1024.py'
model = dict(backbone=dict(depth=101))
