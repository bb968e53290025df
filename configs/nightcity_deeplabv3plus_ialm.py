# Baseline: IALM (Ono et al., VISAPP 2024; Exposure -> Gamma -> Smoothing
# with three parameter predictors, 492,099 params) in place of GEM + PAM,
# trained in front of the same FROZEN Cityscapes DeepLabV3+ on NightCity by
# the recognizer's own loss. The choices made where the paper is silent are
# listed in the docstring of mmllie/models/enhancers/ialm.py.
_base_ = './nightcity_deeplabv3plus_gpllie.py'
model = dict(data_preprocessor=dict(enhancer=dict(_delete_=True, type='IALM')))
