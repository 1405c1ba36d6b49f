"""The built-in export formats; importing this package registers them in menu order."""

from app.core.export.formats import (  # noqa: F401  (import order = menu order)
    pytorch,
    torchscript,
    onnx,
    safetensors,
    hf,
    torchrun,
    peft,
    gguf,
)
