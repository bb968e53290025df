# The CODaN enhancer + frozen ResNet-18 (configs/classification/gpllie_resnet18_1xb8-10k_codan-224x224.py or
# its label-free sibling) tested on a second night set: the ExDark test split
# as classification (mmllie.ExDarkClsDataset, the official release layout),
# restricted to CODaN's ten classes (ExDark's People and Table are left out)
# and labelled in CODaN's order. Top-1 overall and per ExDark lighting type
# is a test-time choice: `test_dataloader.dataset.lighting='Low'`.
# Note: CODaN's test_night images come from ExDark, so the two night test
# sets overlap; ExDark test adds the authors' split and lighting labels.
#   python tools/test.py configs/classification/gpllie_resnet18_codan2exdark-224x224.py \
#       work_dirs/gpllie_resnet18_1xb8-10k_codan-224x224/iter_10000.pth
_base_ = ['./gpllie_resnet18_1xb8-10k_codan-224x224.py']
test_dataloader = dict(
    _base_.codan_test_dataloader,  # its batching and sampler
    _delete_=True,
    dataset=dict(
        type='mmllie.ExDarkClsDataset',
        data_root='data/ExDark/',
        split='test',
        classes=('Bicycle', 'Car', 'Motorbike', 'Bus', 'Boat', 'Cat', 'Dog',
                 'Bottle', 'Cup', 'Chair'),  # CODaN's classes and order
        test_mode=True,
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='ResizeEdge', scale=224, edge='short'),
            dict(type='CenterCrop', crop_size=224),
            dict(type='PackInputs'),
        ]))
test_evaluator = dict(_delete_=True, type='Accuracy', topk=(1, ))
