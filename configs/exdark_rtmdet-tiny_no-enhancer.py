# The plain COCO-trained RTMDet-tiny on ExDark, no enhancer. Test only:
#   python tools/test.py configs/exdark_rtmdet-tiny_no-enhancer.py COCO_CKPT
_base_ = './exdark_rtmdet-tiny_gpllie.py'
model = dict(data_preprocessor=dict(enhancer=None))
custom_hooks = []
