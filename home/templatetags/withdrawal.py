from django import template

from home import publishing
from home.withdrawal import WithdrawalForm

register = template.Library()


@register.simple_tag
def withdrawal_form(page):
    """The reason form of Wagtail's unpublish screen when `page` is an article, else None."""
    return WithdrawalForm() if publishing.is_article(page) else None
