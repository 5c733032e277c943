// placeholder until the VNNLib module lands
