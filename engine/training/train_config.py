"""What to train and how, as one frozen dataclass that the CLI and the GUI fill in and `train` takes.

Defaults are the settings a learner can trust: AdamW with a cosine learning-rate decay, batch 32, early
stopping on validation loss (the best epoch is kept), augmentation on, class weights for imbalanced folders.
Invalid settings are refused on creation, before any photo is decoded.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from engine.data.augment import AugmentConfig
from engine.data.data_config import MAX_BATCH, DataConfig
from engine.errors import ConfigError
from engine.inference.classifier import FEATURE_RUNTIMES, FeatureRuntime
from engine.model.compute import PRECISIONS, Precision
from engine.model.config import AUTO, Auto, ModelConfig
from engine.model.cost import network_cost
from engine.model.pretrained import imagenet_weights_for
from engine.model.variants import DEFAULT_IMAGENET_VARIANT, IMAGENET_INPUT_SIZE
from engine.training.checkpoints import state_dir_of

IMAGENET_PRETRAINED = "imagenet"  # the `pretrained` value for keras.applications' published weights
TEST_TIME_FLIP_MAX_MACS = 500_000_000  # DenseNet-BC-100 at 32 px: 0.29 G; DenseNet-121 at 224 px: 2.9 G
MAX_SEED = 2**32 - 1  # NumPy's and TensorFlow's seeds are 32-bit
MAX_TIME_BUDGET = 7 * 24 * 60.0  # minutes: a week
MAX_EPOCHS = 100_000
MAX_LEARNING_RATE = 10.0


@dataclass(frozen=True)
class TrainConfig:
    """One training. With `pretrained`, the backbone is frozen and only the classifier trains (on cached
    features), then `fine_tune_epochs` train the top `fine_tune_blocks` dense blocks too."""

    out: Path  # the model file to write (.keras); its training state sits next to it in OUT.state/
    variant: str = DEFAULT_IMAGENET_VARIANT
    input_size: int = IMAGENET_INPUT_SIZE
    channels: int = 3
    epochs: int = 30  # from scratch: all epochs; with `pretrained`: epochs of the classifier head
    batch_size: int = 32
    lr: float = 1e-3
    weight_decay: float = 1e-4
    dropout: float = 0.0  # before the classifier (from scratch: also inside the dense blocks)
    val_split: float = 0.2
    seed: int = 1337
    pretrained: str | None = None  # None, "imagenet", or the path of a keras.applications-style .h5 file
    fine_tune_epochs: int = 0
    fine_tune_blocks: int = 1  # the last dense blocks that fine-tuning unfreezes (conv5 for DenseNet-121)
    fine_tune_lr_factor: float = 0.1
    augment: AugmentConfig = field(default_factory=AugmentConfig)
    patience: int = 5  # epochs without a better validation loss before stopping; 0 never stops early
    class_weights: bool = True
    precision: Precision | Auto = AUTO
    memory_efficient: bool | Auto = AUTO
    jit_compile: bool | Auto = AUTO
    # The route computing transfer learning's features: "auto" (ONNX Runtime on a CPU, TensorFlow on a GPU),
    # "onnx", "tflite" or "graph" (a TensorFlow function, XLA-compiled when `jit_compile` resolves to on).
    feature_runtime: FeatureRuntime | Auto = AUTO
    resume: bool = False
    cache_dir: Path | None = None  # studio cache (decoded photos, converted backbones); None is the user's
    cache_limit: int | None = None  # bytes of decoded photos kept; None: $DENSENET_STUDIO_CACHE_LIMIT or 10 GB
    # Minutes from the start of `train` to the model file: the epochs that run and the learning-rate schedule
    # are fitted to it, so training ends annealed, not cut off. None: `epochs` alone decides.
    time_budget: float | None = None
    label_smoothing: float = 0.0
    # Within a time budget, the epochs the duration estimate expects (Automatic's): the schedule starts from
    # this plan and re-fits it to the measured epoch times, up to `epochs`. None: the plan is `epochs`.
    planned_epochs: int | None = None
    automatic: str = ""  # why, when engine.training.auto_settings chose these settings
    # Byte-identical weights from the same seed and photos: TensorFlow's deterministic kernels, augmentation
    # in one input thread, and the epochs fixed in advance (a time budget only plans them: measured epoch
    # times, which differ from run to run, no longer change the plan). Slower (docs/reliability.md).
    deterministic: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "out", Path(self.out))
        if self.deterministic and self.time_budget is not None:
            object.__setattr__(self, "epochs", self.planned_epochs or self.epochs)
            object.__setattr__(self, "time_budget", None)
            object.__setattr__(self, "planned_epochs", None)
        model = ModelConfig(self.variant, input_size=self.input_size, channels=self.channels)
        object.__setattr__(self, "variant", model.variant_name)
        if self.out.suffix != ".keras":
            raise ConfigError(f"{self.out}: the model file must end in .keras")
        self._check_numbers()
        self._check_choices()
        if self.fine_tune_blocks > len(model.variant.blocks):
            raise ConfigError(f"{model.variant_name} has only {len(model.variant.blocks)} dense blocks to fine-tune")
        if self.pretrained == IMAGENET_PRETRAINED:
            imagenet_weights_for(self.variant)
        elif self.pretrained is not None and not Path(self.pretrained).is_file():
            raise ConfigError(f"{self.pretrained}: pre-trained weights file not found")
        if self.feature_runtime not in (AUTO, *FEATURE_RUNTIMES):
            raise ConfigError(f"feature runtime must be {AUTO}, {', '.join(FEATURE_RUNTIMES)}, "
                              f"not '{self.feature_runtime}'")
        if self.pretrained is None and self.fine_tune_epochs:
            raise ConfigError("fine-tuning needs pre-trained weights (--pretrained imagenet or a weights file)")
        self.data_config()  # validates batch size and split

    def _check_numbers(self) -> None:
        """Every number within its range, finite, so nothing fails after the photos are decoded."""
        for name, most in (("epochs", MAX_EPOCHS), ("batch_size", MAX_BATCH), ("fine_tune_blocks", MAX_EPOCHS)):
            if not 1 <= getattr(self, name) <= most:
                raise ConfigError(f"{name.replace('_', ' ')} must be from 1 to {most:,}, not {getattr(self, name)}")
        if self.planned_epochs is not None and not 1 <= self.planned_epochs <= self.epochs:
            raise ConfigError(f"planned epochs must be from 1 to the epochs ({self.epochs}), not {self.planned_epochs}")
        if not 0 <= self.fine_tune_epochs <= MAX_EPOCHS or not 0 <= self.patience <= MAX_EPOCHS:
            raise ConfigError(f"fine-tune epochs and patience must be from 0 to {MAX_EPOCHS:,}")
        rates = (0 < self.lr <= MAX_LEARNING_RATE, 0 <= self.weight_decay <= MAX_LEARNING_RATE,
                 0 < self.fine_tune_lr_factor <= 1)
        if not all(rates):
            raise ConfigError(f"the learning rate must be above 0 and at most {MAX_LEARNING_RATE:g} (not {self.lr}), "
                              f"the weight decay from 0 to {MAX_LEARNING_RATE:g} (not {self.weight_decay})")
        if not 0.0 <= self.dropout < 1.0:
            raise ConfigError(f"dropout must be in [0, 1), not {self.dropout}")
        if not 0.0 <= self.label_smoothing < 1.0:
            raise ConfigError(f"label smoothing must be in [0, 1), not {self.label_smoothing}")
        if self.time_budget is not None and not 0 < self.time_budget <= MAX_TIME_BUDGET:  # NaN fails too
            raise ConfigError(f"the time budget must be a number of minutes above 0 and at most "
                              f"{MAX_TIME_BUDGET:,.0f} (a week), not {self.time_budget}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or not 0 <= self.seed <= MAX_SEED:
            raise ConfigError(f"the seed must be a whole number from 0 to {MAX_SEED:,}, not {self.seed}")

    def _check_choices(self) -> None:
        """Named settings are one of their names: "off" must not turn a switch on."""
        if self.precision not in (AUTO, *PRECISIONS):
            raise ConfigError(f"precision must be one of {AUTO}, {', '.join(PRECISIONS)}; not '{self.precision}'")
        for name in ("memory_efficient", "jit_compile"):
            value = getattr(self, name)
            if not (isinstance(value, bool) or value == AUTO):
                raise ConfigError(f"{name.replace('_', ' ')} must be {AUTO}, True or False, not {value!r}")

    @property
    def transfer(self) -> bool:
        return self.pretrained is not None

    @property
    def test_time_flip(self) -> bool:
        """Whether the trained model classifies each photo and its mirror image and averages the two: +0.45
        points of test accuracy on Fashion-MNIST (bench/fashion_budget.py) at twice the inference cost, so only
        for networks trained with flips whose cost per photo is small (DenseNet-BC at CIFAR sizes, not
        DenseNet-121)."""
        return (self.augment.enabled and self.augment.flip and not self.transfer
                and network_cost(self.variant, self.input_size, self.channels).macs <= TEST_TIME_FLIP_MAX_MACS)

    @property
    def state_dir(self) -> Path:
        """Checkpoints and training state of an unfinished training: OUT.state/ next to the model file."""
        return state_dir_of(self.out)

    def data_config(self) -> DataConfig:
        return DataConfig(self.input_size, self.channels, self.batch_size, self.val_split, self.seed, self.cache_dir,
                          self.cache_limit)

    def model_config(self, classes: int, dropout: float | None = None) -> ModelConfig:
        """The network for `classes` classes; `dropout` overrides the configured one."""
        return ModelConfig(self.variant, self.input_size, self.channels, classes,
                           self.dropout if dropout is None else dropout)

    def to_dict(self) -> dict:
        """JSON-ready settings, stored in the model file and the training state."""
        settings = asdict(self)
        for key in ("out", "cache_dir"):
            settings[key] = None if settings[key] is None else str(settings[key])
        return settings
