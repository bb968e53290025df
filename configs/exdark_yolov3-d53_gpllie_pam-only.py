# ExDark ablation: PAM only (pixelwise UNet residual, paper eq. 2).
_base_ = './exdark_yolov3-d53_gpllie.py'
model = dict(data_preprocessor=dict(enhancer=dict(use_gem=False)))
