# As nightcity_deeplabv3plus_gpllie_darkened-cityscapes.py, validated and
# tested on mmseg's own night-driving night set instead of NightCity val.
_base_ = [
    './nightcity_deeplabv3plus_gpllie_darkened-cityscapes.py',
    './_base_/datasets/night-driving_night_test.py'
]
test_dataloader = dict(_delete_=True, **_base_.night_driving_test_dataloader)
val_dataloader = test_dataloader
