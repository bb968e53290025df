# Baseline, test only: Zero-DCE trained by its own zero-reference losses on
# ExLPose person crops (configs/zero-dce_unsupervised_exlpose.py) in front of
# the FROZEN top-down pose estimator, LL-N / LL-H / LL-E / LL-A (paper
# Table 1, "Zero-DCE and Lee et al."). Export the enhancer, then test with
# the estimator's checkpoint:
#   python tools/model_converters/export_enhancer.py \
#       work_dirs/zero-dce_unsupervised_exlpose/iter_75000.pth \
#       work_dirs/zero-dce_unsupervised_exlpose/zero_dce.pth
#   python tools/test.py \
#       configs/exlpose_td-hm-hrnet-w32_zero-dce-unsupervised.py \
#       /data/ckpt/td-hm_hrnet-w32_exlpose-ll.pth
_base_ = './exlpose_td-hm-hrnet-w32_gpllie.py'
model = dict(
    data_preprocessor=dict(
        enhancer=dict(
            _delete_=True,
            type='PretrainedEnhancer',
            enhancer=dict(type='ZeroDCE'),
            checkpoint='work_dirs/zero-dce_unsupervised_exlpose/'
            'zero_dce.pth')))
