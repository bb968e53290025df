# The paper's NightCity setting under the name the README and users' configs
# use (`python tools/train.py configs/nightcity_deeplabv3plus_gpllie.py`,
# `_base_ = 'mmllie::nightcity_deeplabv3plus_gpllie.py'`); the config itself is
# configs/segmentation/gpllie_deeplabv3plus-mbv2-d8_1xb8-10k_nightcity-512x1024.py
# (see configs/segmentation/README.md).
_base_ = './segmentation/gpllie_deeplabv3plus-mbv2-d8_1xb8-10k_nightcity-512x1024.py'
