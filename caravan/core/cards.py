"""The cards of a list (a page of the catalogue or of the news), loaded only when they
are rendered. A list's markup is kept once rendered (``{% shared %}``,
caravan/core/shared.py) until content changes; the pages that find it kept should not
load the objects and card pictures it shows. `when_shown(load)` is what the view
gives the template instead of the list: the template calls it where it renders the
cards (Django calls a callable it reads), and `load` runs once, loading every card's
objects and pictures together (a fixed number of queries per list)."""


class when_shown:  # noqa: N801 — read in templates like a function's result
    """`load()`'s list, computed the first time it is read, then kept."""

    def __init__(self, load):
        self._load = load
        self._items = None

    def __call__(self):
        if self._items is None:
            self._items = list(self._load())
        return self._items
