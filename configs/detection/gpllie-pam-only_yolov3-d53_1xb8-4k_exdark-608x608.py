# ExDark ablation: PAM only (pixelwise UNet residual, paper eq. 2).
_base_ = './gpllie_yolov3-d53_1xb8-4k_exdark-608x608.py'
model = dict(data_preprocessor=dict(enhancer=dict(use_gem=False)))
