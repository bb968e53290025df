# GEM + PAM in front of a frozen Cityscapes DeepLabV3+ ResNet-101-D8, mmseg's
# own recipe (deeplabv3plus_r101-d8_4xb2-80k_cityscapes-512x1024.py; its
# checkpoint in mmseg's model zoo is the `load_from`), on NightCity.
_base_ = [
    'mmseg::deeplabv3plus/'
    'deeplabv3plus_r101-d8_4xb2-80k_cityscapes-512x1024.py',
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
