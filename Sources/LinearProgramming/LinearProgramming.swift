// placeholder until the LinearProgramming module lands
