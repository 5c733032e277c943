// placeholder until the ONNX module lands
