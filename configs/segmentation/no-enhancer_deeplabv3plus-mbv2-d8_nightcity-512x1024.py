# The plain frozen recognizer on NightCity, no enhancer (paper Table 3,
# "DeepLabV3+ 18.4"). Test only:
#   python tools/test.py configs/segmentation/no-enhancer_deeplabv3plus-mbv2-d8_nightcity-512x1024.py CKPT
_base_ = './gpllie_deeplabv3plus-mbv2-d8_1xb8-10k_nightcity-512x1024.py'
model = dict(data_preprocessor=dict(enhancer=None))
custom_hooks = []
