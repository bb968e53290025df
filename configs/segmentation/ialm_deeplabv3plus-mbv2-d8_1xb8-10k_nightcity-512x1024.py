# Baseline: IALM (Ono et al., VISAPP 2024; Exposure -> Gamma -> Smoothing
# with three parameter predictors, 492,099 params) in place of GEM + PAM,
# trained in front of the same FROZEN Cityscapes DeepLabV3+ on NightCity by
# the recognizer's own loss. The choices made where the paper is silent are
# listed in the docstring of mmllie/models/enhancers/ialm.py.
_base_ = './gpllie_deeplabv3plus-mbv2-d8_1xb8-10k_nightcity-512x1024.py'
model = dict(data_preprocessor=dict(enhancer=dict(_delete_=True, type='IALM')))
