# Baseline: Zero-DCE (79,416 params) in place of GEM + PAM, trained in front
# of the same FROZEN CODaN day ResNet-18 on darkened day images by the
# classifier's own cross-entropy.
_base_ = './gpllie_resnet18_1xb8-10k_codan-224x224.py'
model = dict(
    data_preprocessor=dict(enhancer=dict(_delete_=True, type='ZeroDCE')))
