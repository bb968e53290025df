# The plain COCO-trained YOLOv3 on ExDark, no enhancer. Test only:
#   python tools/test.py configs/detection/no-enhancer_yolov3-d53_exdark-608x608.py COCO_CKPT
_base_ = './gpllie_yolov3-d53_1xb8-4k_exdark-608x608.py'
model = dict(data_preprocessor=dict(enhancer=None))
custom_hooks = []
