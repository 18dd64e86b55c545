from django import template
from django.utils.safestring import mark_safe

from ..chrome import kept

register = template.Library()


@register.simple_tag(takes_context=True)
def site_footer(context):
    """The footer, kept with the rest of the site chrome (portal.chrome); it shows nothing that
    depends on the visitor or the page."""
    footer = context.template.engine.get_template("includes/footer.html")
    return mark_safe(kept(context.get("request"), "footer", lambda: footer.render(context)))  # noqa: S308 (rendered template)
