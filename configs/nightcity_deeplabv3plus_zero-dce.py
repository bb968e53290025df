# Baseline: Zero-DCE (Guo et al., CVPR 2020; 79,416 params) in place of
# GEM + PAM, trained in front of the same FROZEN Cityscapes DeepLabV3+ on
# NightCity by the recognizer's own loss (no zero-reference losses). For
# Zero-DCE trained the way its authors train it (no labels), see
# zero-dce_unsupervised_nightcity.py and
# nightcity_deeplabv3plus_zero-dce-unsupervised.py.
_base_ = './nightcity_deeplabv3plus_gpllie.py'
model = dict(
    data_preprocessor=dict(enhancer=dict(_delete_=True, type='ZeroDCE')))
