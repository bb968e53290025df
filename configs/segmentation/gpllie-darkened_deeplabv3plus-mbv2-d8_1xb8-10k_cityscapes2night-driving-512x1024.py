# As gpllie-darkened_deeplabv3plus-mbv2-d8_1xb8-10k_cityscapes2nightcity-512x1024.py, validated and
# tested on mmseg's own night-driving night set instead of NightCity val.
_base_ = [
    './gpllie-darkened_deeplabv3plus-mbv2-d8_1xb8-10k_cityscapes2nightcity-512x1024.py',
    '../_base_/datasets/night-driving_night_test.py'
]
test_dataloader = dict(_delete_=True, **_base_.night_driving_test_dataloader)
val_dataloader = test_dataloader
