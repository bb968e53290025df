# ExDark ablation: GEM only (global per-channel gains, paper eq. 1).
_base_ = './exdark_yolov3-d53_gpllie.py'
model = dict(data_preprocessor=dict(enhancer=dict(use_pam=False)))
