# Ablation (as paper Table 5 on NightCity, "w/o GEM"): PAM only.
_base_ = './gpllie_td-hm-hrnet-w32_1xb8-10k_exlpose-256x192.py'
model = dict(data_preprocessor=dict(enhancer=dict(use_gem=False)))
