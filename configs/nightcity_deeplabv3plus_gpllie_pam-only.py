# Ablation (paper Table 5, "w/o GEM"): PAM only.
_base_ = './nightcity_deeplabv3plus_gpllie.py'
model = dict(data_preprocessor=dict(enhancer=dict(use_gem=False)))
