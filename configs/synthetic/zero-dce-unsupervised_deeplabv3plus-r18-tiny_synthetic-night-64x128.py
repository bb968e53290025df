# Baseline, test only: Zero-DCE trained by its own losses
# (zero-dce_zero-reference_1xb8-300_synthetic-night-64x128.py) in front of the FROZEN
# synthetic-day DeepLabV3+ on the darkened synthetic city. Export its
# enhancer, then test with the day recognizer's checkpoint:
#   python tools/model_converters/export_enhancer.py \
#       work_dirs/zero-dce_zero-reference_1xb8-300_synthetic-night-64x128/iter_300.pth \
#       work_dirs/zero-dce_zero-reference_1xb8-300_synthetic-night-64x128/zero_dce.pth
#   python tools/test.py <this config> DAY_RECOGNIZER.pth
_base_ = ['./gpllie_deeplabv3plus-r18-tiny_1xb8-300_synthetic-night-64x128.py']
# where tools/train.py on the Zero-DCE config writes (see above)
zero_dce_work_dir = 'work_dirs/zero-dce_zero-reference_1xb8-300_synthetic-night-64x128'
model = dict(
    data_preprocessor=dict(
        enhancer=dict(
            _delete_=True,
            type='PretrainedEnhancer',
            enhancer=dict(type='ZeroDCE'),
            checkpoint=zero_dce_work_dir + '/zero_dce.pth')))
