"""The department's name wherever a service or a letter names it, linked to the department's
public page (机构职能) when it has a live one: one department, one page, for every door."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def department_link(context, department, pages):
    """`pages` is `home.page_types.department_pages(...)` for the departments on the page."""
    if department is None:
        return ""
    page = pages.get(department.pk)
    if page is None:
        return department.name
    return format_html('<a href="{}">{}</a>', page.get_url(context.get("request")), department.name)
