# Ablation (as paper Table 5 on NightCity, "w/o PAM"): GEM only.
_base_ = './gpllie_resnet18_1xb8-10k_codan-224x224.py'
model = dict(data_preprocessor=dict(enhancer=dict(use_pam=False)))
