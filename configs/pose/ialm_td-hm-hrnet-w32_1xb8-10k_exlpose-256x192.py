# Baseline: IALM (492,099 params) in place of GEM + PAM, trained in front of
# the same FROZEN top-down pose estimator on ExLPose train-LL by the
# estimator's own heatmap loss (paper Table 1 row "IALM and Lee et al.":
# 42.6 / 34.1 / 20.0 / 33.2 AP on LL-N / H / E / A). Choices made where the
# paper is silent: docstring of mmllie/models/enhancers/ialm.py.
_base_ = './gpllie_td-hm-hrnet-w32_1xb8-10k_exlpose-256x192.py'
model = dict(data_preprocessor=dict(enhancer=dict(_delete_=True, type='IALM')))
