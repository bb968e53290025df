from .builder import build_enhancer, find_enhancer_cfg
from .deploy import deploy_enhancer, fuse_conv_bn
from .gem import GlobalEnhancementModule
from .gpllie import GPLLIE
from .ialm import IALM
from .pam import PixelwiseAdjustmentModule
from .pretrained import PretrainedEnhancer
from .zero_dce import ZeroDCE
from .zero_dce_unsupervised import ZeroDCEUnsupervised
