# The plain COCO-trained YOLOv3 on ExDark, no enhancer. Test only:
#   python tools/test.py configs/exdark_yolov3-d53_no-enhancer.py COCO_CKPT
_base_ = './exdark_yolov3-d53_gpllie.py'
model = dict(data_preprocessor=dict(enhancer=None))
custom_hooks = []
