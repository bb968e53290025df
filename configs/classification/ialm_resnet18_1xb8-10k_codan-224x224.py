# Baseline: IALM (492,099 params) in place of GEM + PAM, trained in front of
# the same FROZEN CODaN day ResNet-18 on darkened day images by the
# classifier's own cross-entropy. Choices made where the paper is silent:
# docstring of mmllie/models/enhancers/ialm.py.
_base_ = './gpllie_resnet18_1xb8-10k_codan-224x224.py'
model = dict(data_preprocessor=dict(enhancer=dict(_delete_=True, type='IALM')))
