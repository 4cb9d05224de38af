from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """``row|get:"item__name"``: a dict value whose key has double underscores."""
    return mapping.get(key, "") if hasattr(mapping, "get") else ""
