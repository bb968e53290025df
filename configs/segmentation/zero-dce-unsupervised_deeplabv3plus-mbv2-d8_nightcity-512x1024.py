# Baseline, test only: Zero-DCE trained by its own zero-reference losses
# (configs/segmentation/zero-dce_zero-reference_1xb8-75k_nightcity-256x256.py, no labels, no recognizer) in
# front of the FROZEN Cityscapes DeepLabV3+ on NightCity (the paper's
# comparison, Table 3). Export the enhancer of the unsupervised run, then
# test with the recognizer checkpoint:
#   python tools/model_converters/export_enhancer.py \
#       work_dirs/zero-dce_zero-reference_1xb8-75k_nightcity-256x256/iter_75000.pth \
#       work_dirs/zero-dce_zero-reference_1xb8-75k_nightcity-256x256/zero_dce.pth
#   python tools/test.py \
#       configs/segmentation/zero-dce-unsupervised_deeplabv3plus-mbv2-d8_nightcity-512x1024.py \
#       /path/to/cityscapes_deeplabv3plus.pth
# (another enhancer file: --cfg-options
#  model.data_preprocessor.enhancer.checkpoint=/path/to/zero_dce.pth).
_base_ = './gpllie_deeplabv3plus-mbv2-d8_1xb8-10k_nightcity-512x1024.py'
# where tools/train.py on the Zero-DCE config writes (see above)
zero_dce_work_dir = 'work_dirs/zero-dce_zero-reference_1xb8-75k_nightcity-256x256'
model = dict(
    data_preprocessor=dict(
        enhancer=dict(
            _delete_=True,
            type='PretrainedEnhancer',
            enhancer=dict(type='ZeroDCE'),
            checkpoint=zero_dce_work_dir + '/zero_dce.pth')))
