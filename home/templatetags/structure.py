from django import template
from django.contrib.contenttypes.models import ContentType

from home import publishing

register = template.Library()


@register.filter
def creatable_by(page_types, user):
    """The page types of Wagtail's "add a page here" screen that `user` may create."""
    return [
        entry
        for entry in page_types
        if publishing.creation_refusal(user, ContentType.objects.get_by_natural_key(entry[1], entry[2]).model_class())
        is None
    ]
