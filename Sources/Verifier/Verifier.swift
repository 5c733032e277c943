// placeholder until the Verifier module lands
