// placeholder until the Bounds module lands
