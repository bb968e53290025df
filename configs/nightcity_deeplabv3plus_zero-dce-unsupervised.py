# Baseline, test only: Zero-DCE trained by its own zero-reference losses
# (configs/zero-dce_unsupervised_nightcity.py, no labels, no recognizer) in
# front of the FROZEN Cityscapes DeepLabV3+ on NightCity (the paper's
# comparison, Table 3). Export the enhancer of the unsupervised run, then
# test with the recognizer checkpoint:
#   python tools/model_converters/export_enhancer.py \
#       work_dirs/zero-dce_unsupervised_nightcity/iter_75000.pth \
#       work_dirs/zero-dce_unsupervised_nightcity/zero_dce.pth
#   python tools/test.py \
#       configs/nightcity_deeplabv3plus_zero-dce-unsupervised.py \
#       /path/to/cityscapes_deeplabv3plus.pth
# (another enhancer file: --cfg-options
#  model.data_preprocessor.enhancer.checkpoint=/path/to/zero_dce.pth).
_base_ = './nightcity_deeplabv3plus_gpllie.py'
model = dict(
    data_preprocessor=dict(
        enhancer=dict(
            _delete_=True,
            type='PretrainedEnhancer',
            enhancer=dict(type='ZeroDCE'),
            checkpoint='work_dirs/zero-dce_unsupervised_nightcity/'
            'zero_dce.pth')))
