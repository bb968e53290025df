# As nightcity_deeplabv3plus_gpllie_darkened-cityscapes.py, validated and
# tested on mmseg's own dark-zurich night set instead of NightCity val.
_base_ = [
    './nightcity_deeplabv3plus_gpllie_darkened-cityscapes.py',
    './_base_/datasets/dark-zurich_night_test.py'
]
test_dataloader = dict(_delete_=True, **_base_.dark_zurich_test_dataloader)
val_dataloader = test_dataloader
