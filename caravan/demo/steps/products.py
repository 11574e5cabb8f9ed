"""Demo content of the products app."""


def load(ctx):
    pass
