# Ablation (paper Table 5, "w/o GEM"): PAM only.
_base_ = './exlpose_td-hm-hrnet-w32_gpllie.py'
model = dict(data_preprocessor=dict(enhancer=dict(use_gem=False)))
