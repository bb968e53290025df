# The plain day classifier on CODaN test_night and test_day, no enhancer,
# through the same wrapper and test pipeline (test only):
#   python tools/test.py configs/codan_resnet18_no-enhancer.py \
#       work_dirs/codan_resnet18_recognizer/best_accuracy_top1_epoch_N.pth
_base_ = './codan_resnet18_gpllie.py'
model = dict(data_preprocessor=dict(enhancer=None))
custom_hooks = []
model_wrapper_cfg = None  # nothing to freeze: MMEngine's own DDP
