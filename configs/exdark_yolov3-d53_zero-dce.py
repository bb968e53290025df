# Zero-DCE trained by the frozen YOLOv3's detection loss on ExDark.
_base_ = './exdark_yolov3-d53_gpllie.py'
model = dict(
    data_preprocessor=dict(enhancer=dict(_delete_=True, type='ZeroDCE')))
