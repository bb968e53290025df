# Baseline: IALM (492,099 params) in place of GEM + PAM in front of the
# FROZEN synthetic-day DeepLabV3+ on the darkened synthetic city, trained by
# the recognizer's own loss. Set `load_from` to the day recognizer.
_base_ = ['./gpllie_deeplabv3plus-r18-tiny_1xb8-300_synthetic-night-64x128.py']
model = dict(data_preprocessor=dict(enhancer=dict(_delete_=True, type='IALM')))
