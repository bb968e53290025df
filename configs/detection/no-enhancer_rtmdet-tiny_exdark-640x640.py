# The plain COCO-trained RTMDet-tiny on ExDark, no enhancer. Test only:
#   python tools/test.py configs/detection/no-enhancer_rtmdet-tiny_exdark-640x640.py COCO_CKPT
_base_ = './gpllie_rtmdet-tiny_1xb8-4k_exdark-640x640.py'
model = dict(data_preprocessor=dict(enhancer=None))
custom_hooks = []
