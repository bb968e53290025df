# GEM + PAM in front of a frozen Cityscapes DeepLabV3+ ResNet-101-D8
# (mmseg: deeplabv3plus_r101-d8_4xb2-80k_cityscapes-512x1024.py).
_base_ = './nightcity_deeplabv3plus-r50_gpllie.py'
model = dict(backbone=dict(depth=101))
