"""Assignment rules: which salesperson a new lead goes to."""

from .models import AssignmentRule


def _category_keys(inquiry):
    """The categories of every product the inquiry asks about (any of its lines)."""
    products = inquiry.line_products() if inquiry.pk else []
    if not products and inquiry.product_id and inquiry.product is not None:
        products = [inquiry.product]
    products.extend(getattr(inquiry, "pending_products", ()))
    return {c.translation_key for product in products for c in product.categories.all()}


def matching_rule(inquiry, rules=None):
    """The first active rule (in order) whose criteria all match the inquiry, or None."""
    rules = (
        rules
        if rules is not None
        else AssignmentRule.objects.filter(is_active=True, assignee__is_active=True).select_related(
            "category", "assignee"
        )
    )
    keys = None
    language = (inquiry.language or "").lower()
    for rule in rules:
        if rule.country and rule.country.upper() != (inquiry.country or "").upper():
            continue
        if (
            rule.language
            and rule.language.lower() != language.split("-")[0]
            and (rule.language.lower() != language)
        ):
            continue
        if rule.category_id:
            if keys is None:
                keys = _category_keys(inquiry)
            if rule.category.translation_key not in keys:
                continue
        return rule
    return None


def assignee_for(inquiry):
    rule = matching_rule(inquiry)
    return rule.assignee if rule else None
