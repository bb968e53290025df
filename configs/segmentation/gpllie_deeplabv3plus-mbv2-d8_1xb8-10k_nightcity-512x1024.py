# GEM + PAM (577k params) trained in front of a FROZEN Cityscapes-trained
# DeepLabV3+ with a MobileNetV2 backbone (the paper's 5.2M-parameter choice)
# on NightCity, by the recognizer's own loss (paper Table 3: 18.4 -> 34.4).
# mmseg's MobileNetV2 DeepLabV3+ keeps the ResNet head widths (512-channel
# separable bottleneck), so it has 15.2M parameters (FreezeRecognizerHook's
# log); the widths stay mmseg's so its published checkpoints load.
#
# Recognizer weights: a Cityscapes DeepLabV3+ checkpoint the user has, e.g.
# mmseg's model zoo file for
#   mobilenet_v2/mobilenet-v2-d8_deeplabv3plus_4xb2-80k_cityscapes-512x1024.py
# saved locally and passed as `--cfg-options load_from=/path/to/ckpt.pth`
# (or edit `load_from` below). Nothing is downloaded.
_base_ = [
    'mmseg::mobilenet_v2/'
    'mobilenet-v2-d8_deeplabv3plus_4xb2-80k_cityscapes-512x1024.py',
    '../_base_/datasets/nightcity.py',
    '../_base_/schedules/enhancer_adam-5e-4_10k.py'
]
custom_imports = dict(imports=['mmllie'], allow_failed_imports=False)

model = dict(
    # the recognizer comes from `load_from`; no ImageNet init download
    pretrained=None,
    data_preprocessor=dict(
        _delete_=True,
        type='mmllie.GlobalPixelwiseEnhancer',
        host=_base_.nightcity_host_preprocessor,
        enhancer=dict(type='GPLLIE', use_gem=True, use_pam=True)))
load_from = None  # path to the Cityscapes-trained DeepLabV3+ checkpoint
dataset_type = 'mmllie.NightCityDataset'  # (the dataloaders below set it)
data_root = 'data/NightCity/'

train_dataloader = dict(_delete_=True, **_base_.nightcity_train_dataloader)
val_dataloader = dict(_delete_=True, **_base_.nightcity_val_dataloader)
test_dataloader = val_dataloader
val_evaluator = _base_.nightcity_evaluator
test_evaluator = val_evaluator

optim_wrapper = dict(_delete_=True, **_base_.enhancer_optim_wrapper)
param_scheduler = _base_.enhancer_param_scheduler
train_cfg = _base_.enhancer_train_cfg
default_hooks = _base_.enhancer_default_hooks
custom_hooks = _base_.enhancer_custom_hooks
model_wrapper_cfg = _base_.enhancer_model_wrapper_cfg
