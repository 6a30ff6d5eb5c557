"""Running a trained network: classifying photos on the fastest route (ONNX Runtime, TFLite, XLA), scoring a
folder, Grad-CAM and feature maps, and exporting (SavedModel, TFLite, ONNX) with the converted-model cache."""
