# As gpllie-label-free_deeplabv3plus-mbv2-d8_1xb8-10k_cityscapes2nightcity-512x1024.py, validated and
# tested on mmseg's own dark-zurich night set instead of NightCity val.
_base_ = [
    './gpllie-label-free_deeplabv3plus-mbv2-d8_1xb8-10k_cityscapes2nightcity-512x1024.py',
    '../_base_/datasets/dark-zurich_night_test.py'
]
test_dataloader = dict(_delete_=True, **_base_.dark_zurich_test_dataloader)
val_dataloader = test_dataloader
