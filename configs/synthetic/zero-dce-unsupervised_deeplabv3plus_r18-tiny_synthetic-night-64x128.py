# Baseline, test only: Zero-DCE trained by its own losses
# (zero-dce_unsupervised_synthetic-night-64x128.py) in front of the FROZEN
# synthetic-day DeepLabV3+ on the darkened synthetic city. Export its
# enhancer, then test with the day recognizer's checkpoint:
#   python tools/model_converters/export_enhancer.py \
#       work_dirs/zero-dce_unsupervised_synthetic-night-64x128/iter_300.pth \
#       work_dirs/zero-dce_unsupervised_synthetic-night-64x128/zero_dce.pth
#   python tools/test.py <this config> DAY_RECOGNIZER.pth
_base_ = ['./gpllie_deeplabv3plus_r18-tiny_synthetic-night-64x128.py']
model = dict(
    data_preprocessor=dict(
        enhancer=dict(
            _delete_=True,
            type='PretrainedEnhancer',
            enhancer=dict(type='ZeroDCE'),
            checkpoint='work_dirs/zero-dce_unsupervised_synthetic-night-64x128'
            '/zero_dce.pth')))
