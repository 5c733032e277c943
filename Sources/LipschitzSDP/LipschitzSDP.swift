// placeholder until the LipschitzSDP module lands
