# The frozen ESPNetv2 on Cityscapes val frames darkened by
# mmllie.LowLightSynthesis (fixed seed: the same dark frames in every run),
# no enhancer. The level is the third transform's:
#   python tools/test.py \
#       projects/espnetv2_cityscapes/configs/no-enhancer_espnetv2-s2.0_cityscapes-night-1024x512.py \
#       espnetv2_s2.0_city_mmseg.pth --cfg-options \
#       test_dataloader.dataset.data_root=data/cityscapes \
#       test_dataloader.dataset.pipeline.2.level=hard
_base_ = ['./espnetv2-s2.0_cityscapes-1024x512.py']
night_test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='mmllie.LowLightSynthesis', level='normal', seed=123),
    dict(type='PackSegInputs')
]
val_dataloader = dict(dataset=dict(pipeline=night_test_pipeline))
test_dataloader = val_dataloader
