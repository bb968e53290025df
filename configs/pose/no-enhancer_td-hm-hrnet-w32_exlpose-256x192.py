# The plain recognizer on ExLPose LL-N / LL-H / LL-E / LL-A, no enhancer
# (paper Table 1, "Lee et al."; here mmpose's HRNet-W32 stand-in). Test only:
#   python tools/test.py configs/pose/no-enhancer_td-hm-hrnet-w32_exlpose-256x192.py \
#       /data/ckpt/td-hm_hrnet-w32_exlpose-ll.pth
_base_ = './gpllie_td-hm-hrnet-w32_1xb8-10k_exlpose-256x192.py'
model = dict(data_preprocessor=dict(enhancer=None))
custom_hooks = []
