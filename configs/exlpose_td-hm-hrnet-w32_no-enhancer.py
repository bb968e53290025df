# The plain recognizer on ExLPose LL-N / LL-H / LL-E / LL-A, no enhancer
# (paper Table 1, "Lee et al."; here mmpose's HRNet-W32 stand-in). Test only:
#   python tools/test.py configs/exlpose_td-hm-hrnet-w32_no-enhancer.py \
#       /data/ckpt/td-hm_hrnet-w32_exlpose-ll.pth
_base_ = './exlpose_td-hm-hrnet-w32_gpllie.py'
model = dict(data_preprocessor=dict(enhancer=None))
custom_hooks = []
