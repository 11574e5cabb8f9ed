"""Demo content of the news app."""


def load(ctx):
    pass
