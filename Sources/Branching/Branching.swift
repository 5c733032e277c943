// placeholder until the Branching module lands
