"""Spreadsheet exports of leads that open correctly in Excel and cannot run formulas."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text a spreadsheet would read as a formula ('=HYPERLINK(…)', '+7 …', '@SUM') gets a
    leading apostrophe, so it is shown as the text the buyer typed and never evaluated."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
