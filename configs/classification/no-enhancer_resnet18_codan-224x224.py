# The plain day classifier on CODaN test_night and test_day, no enhancer,
# through the same wrapper and test pipeline (test only):
#   python tools/test.py configs/classification/no-enhancer_resnet18_codan-224x224.py \
#       work_dirs/resnet18_8xb32-100e_codan-day-224x224/best_accuracy_top1_epoch_N.pth
_base_ = './gpllie_resnet18_1xb8-10k_codan-224x224.py'
model = dict(data_preprocessor=dict(enhancer=None))
custom_hooks = []
# the inherited mmllie.EnhancerDistributedDataParallel stays: with no
# enhancer it is a plain DDP that also runs on CPU (gloo), where MMEngine's
# default wrapper (device_ids=[local_rank]) fails under dist_test.sh
