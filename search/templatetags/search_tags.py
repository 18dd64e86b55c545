from django import template
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag(takes_context=True)
def facet_url(context, name, value):
    """The current search with filter `name` set to `value` (None: removed), back on page 1."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    if value is None:
        params.pop(name, None)
    else:
        params[name] = value
    return f"?{urlencode(sorted(params.lists()), doseq=True)}"
