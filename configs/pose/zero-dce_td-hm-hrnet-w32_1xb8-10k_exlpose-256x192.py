# Baseline: Zero-DCE (79,416 params) in place of GEM + PAM, trained in front
# of the same FROZEN top-down pose estimator on ExLPose train-LL by the
# estimator's own heatmap loss (paper Table 1 row "Zero-DCE and Lee et al.":
# 34.7 / 28.6 / 16.7 / 27.5 AP on LL-N / H / E / A, there with Zero-DCE
# trained by its own losses).
_base_ = './gpllie_td-hm-hrnet-w32_1xb8-10k_exlpose-256x192.py'
model = dict(
    data_preprocessor=dict(enhancer=dict(_delete_=True, type='ZeroDCE')))
