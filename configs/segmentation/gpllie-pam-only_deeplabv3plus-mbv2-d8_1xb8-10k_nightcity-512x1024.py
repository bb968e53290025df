# Ablation (paper Table 5, "w/o GEM"): PAM only.
_base_ = './gpllie_deeplabv3plus-mbv2-d8_1xb8-10k_nightcity-512x1024.py'
model = dict(data_preprocessor=dict(enhancer=dict(use_gem=False)))
