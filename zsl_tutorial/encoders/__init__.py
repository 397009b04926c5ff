"""Image encoders: a small CNN trained on seen classes only, and an optional pretrained ResNet.

Why train our own encoder? Xian et al. (TPAMI 2018) warn that an ImageNet-
pretrained network has already seen many of the "unseen" classes of the ZSL
benchmarks (zebra, giraffe and cat are all ImageNet classes). Features from such
a network leak knowledge about the test classes into training, and the zero-shot
accuracy it yields is flattering. The course therefore trains :class:`CNNEncoder`
on the *seen* Animal-MNIST classes only and uses its penultimate layer as the
feature extractor (:func:`animal_features`). :func:`resnet_features` is there
for a learner's own photos, with that caveat.

torch and torchvision are imported inside the functions, so
``import zsl_tutorial.encoders`` stays light.

The modules: :mod:`~zsl_tutorial.encoders.cnn` (:class:`CNNEncoder`), :mod:`~zsl_tutorial.encoders.cache`
(:func:`animal_features` and its feature cache), :mod:`~zsl_tutorial.encoders.dataset`
(:func:`feature_dataset`) and :mod:`~zsl_tutorial.encoders.resnet` (:func:`resnet_features`).
"""
from __future__ import annotations

from .cache import _cache_key, _read_cache, _torch_version, animal_features, feature_cache_dir
from .cnn import _CNN_VERSION, CNNEncoder, _build_cnn, _check_images, _check_y, _torch_threads
from .dataset import feature_dataset
from .resnet import _RESNETS, _offline, _to_rgb_tensor, resnet_features

__all__ = ["CNNEncoder", "animal_features", "feature_dataset", "resnet_features", "feature_cache_dir"]
