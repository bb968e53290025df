# The plain frozen recognizer on NightCity, no enhancer (paper Table 3,
# "DeepLabV3+ 18.4"). Test only:
#   python tools/test.py configs/nightcity_deeplabv3plus_no-enhancer.py CKPT
_base_ = './nightcity_deeplabv3plus_gpllie.py'
model = dict(data_preprocessor=dict(enhancer=None))
custom_hooks = []
