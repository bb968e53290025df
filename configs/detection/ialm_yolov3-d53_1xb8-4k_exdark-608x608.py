# IALM trained by the frozen YOLOv3's detection loss on ExDark.
_base_ = './gpllie_yolov3-d53_1xb8-4k_exdark-608x608.py'
model = dict(data_preprocessor=dict(enhancer=dict(_delete_=True, type='IALM')))
