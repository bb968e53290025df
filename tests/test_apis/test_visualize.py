"""The demos' picture: input | enhanced | prediction at one height, the
prediction drawn by the host's visualiser; the inferencer runs the enhancer
(a classification case: fast)."""
import cv2
import numpy as np
import pytest

from mmllie.apis import build_inferencer, inference_enhancer_recognizer
from mmllie.apis.visualize import demo_panel, draw_prediction, side_by_side
from mmllie.testing.inference import make_case


@pytest.fixture(scope='module')
def cls_case(tmp_path_factory):
    case = make_case('mmpretrain', str(tmp_path_factory.mktemp('cls')))
    case['inferencer'] = build_inferencer(
        case['config'], case['checkpoint'], device='cpu')
    return case


def test_side_by_side_scales_to_the_first_height():
    a = np.zeros((40, 30, 3), np.uint8)
    b = np.full((20, 10, 3), 200, np.uint8)
    out = side_by_side([a, b], titles=('in', 'out'))
    assert out.shape == (40, 30 + 20, 3) and out.dtype == np.uint8
    assert (out[30:, 35:] == 200).all()  # b, resized, below its title
    assert out[:, :30].any()  # a's title was drawn


def test_inference_returns_prediction_and_enhanced_image(cls_case):
    img = cv2.imread(cls_case['image'])
    out = inference_enhancer_recognizer(cls_case['inferencer'], img)
    enhanced = out['enhanced']
    assert enhanced.shape == img.shape and enhanced.dtype == np.uint8
    assert not np.array_equal(enhanced, img)  # the case's enhancer acts
    assert out['prediction'].pred_score.numel() == 3


def test_demo_panel(cls_case):
    img = cv2.imread(cls_case['image'])
    panel = demo_panel(cls_case['inferencer'], img)
    assert panel.shape[0] == img.shape[0] and panel.shape[2] == 3
    assert panel.shape[1] >= 3 * img.shape[1] - 2
    np.testing.assert_array_equal(panel[20:, :img.shape[1]], img[20:])
    with pytest.raises(ValueError, match='8-bit 3-channel'):
        demo_panel(cls_case['inferencer'], img[..., 0])


def test_draw_prediction_keeps_the_image_size(cls_case):
    img = cv2.imread(cls_case['image'])
    out = inference_enhancer_recognizer(cls_case['inferencer'], img)
    drawn = draw_prediction(cls_case['inferencer'], out['enhanced'],
                            out['prediction'])
    assert drawn.shape[2] == 3 and drawn.dtype == np.uint8


def test_build_inferencer_errors(tmp_path, cls_case):
    with pytest.raises(ValueError, match='config is required'):
        build_inferencer(None)
    with pytest.raises(FileNotFoundError, match='missing.py'):
        build_inferencer(str(tmp_path / 'missing.py'))
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        build_inferencer(cls_case['config'], str(tmp_path / 'missing.pth'))
