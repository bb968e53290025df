# Ablation (paper Table 5, "w/o PAM"): GEM only.
_base_ = './codan_resnet18_gpllie.py'
model = dict(data_preprocessor=dict(enhancer=dict(use_pam=False)))
