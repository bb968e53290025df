from .base_enhancer_trainer import BaseEnhancerTrainer
from .builder import build_enhancer, find_enhancer_cfg
from .denoiser import ResidualDenoiser
from .denoiser_pretrainer import DenoiserPretrainer
from .deploy import (CUDAGraphModule, deploy_enhancer, fuse_conv_bn,
                     pad_unet_channels)
from .fixed_gain_gamma import FixedGainGamma
from .gem import GlobalEnhancementModule
from .gpllie import GPLLIE
from .gpllie_light import LightGPLLIE, ReducedResolutionPAM
from .ialm import IALM
from .pam import PixelwiseAdjustmentModule
from .pretrained import EmbeddedEnhancer, PretrainedEnhancer
from .smoothing import NoiseAdaptiveSmoothing, estimate_noise
from .temporal_smoothing import SmoothedGainGPLLIE, gain_flicker
from .zero_dce import ZeroDCE
from .zero_dce_unsupervised import ZeroDCEUnsupervised
