# Baseline: Zero-DCE (Guo et al., CVPR 2020; 79,416 params) in place of
# GEM + PAM, trained in front of the same FROZEN Cityscapes DeepLabV3+ on
# NightCity by the recognizer's own loss (no zero-reference losses). For
# Zero-DCE trained the way its authors train it (no labels), see
# zero-dce_zero-reference_1xb8-75k_nightcity-256x256.py and
# zero-dce-unsupervised_deeplabv3plus-mbv2-d8_nightcity-512x1024.py.
_base_ = './gpllie_deeplabv3plus-mbv2-d8_1xb8-10k_nightcity-512x1024.py'
model = dict(
    data_preprocessor=dict(enhancer=dict(_delete_=True, type='ZeroDCE')))
