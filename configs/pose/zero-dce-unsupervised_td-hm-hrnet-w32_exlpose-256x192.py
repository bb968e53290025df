# Baseline, test only: Zero-DCE trained by its own zero-reference losses on
# ExLPose person crops (configs/pose/zero-dce_zero-reference_1xb8-75k_exlpose-256x192.py) in front of
# the FROZEN top-down pose estimator, LL-N / LL-H / LL-E / LL-A (paper
# Table 1, "Zero-DCE and Lee et al."). Export the enhancer, then test with
# the estimator's checkpoint:
#   python tools/model_converters/export_enhancer.py \
#       work_dirs/zero-dce_zero-reference_1xb8-75k_exlpose-256x192/iter_75000.pth \
#       work_dirs/zero-dce_zero-reference_1xb8-75k_exlpose-256x192/zero_dce.pth
#   python tools/test.py \
#       configs/pose/zero-dce-unsupervised_td-hm-hrnet-w32_exlpose-256x192.py \
#       /data/ckpt/td-hm_hrnet-w32_exlpose-ll.pth
_base_ = './gpllie_td-hm-hrnet-w32_1xb8-10k_exlpose-256x192.py'
# where tools/train.py on the Zero-DCE config writes (see above)
zero_dce_work_dir = 'work_dirs/zero-dce_zero-reference_1xb8-75k_exlpose-256x192'
model = dict(
    data_preprocessor=dict(
        enhancer=dict(
            _delete_=True,
            type='PretrainedEnhancer',
            enhancer=dict(type='ZeroDCE'),
            checkpoint=zero_dce_work_dir + '/zero_dce.pth')))
