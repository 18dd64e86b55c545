"""Which pages the public may see listed: live pages outside every private section (a
PageViewRestriction on the page or any ancestor). Wagtail's `.public()` answers the same but
reads all restrictions in a query of its own each time; used by many listings of one page that
was a dozen queries, so this is a condition inside each listing's own query:
`pages.live().exclude(private())`."""

from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.models import PageViewRestriction


def private():
    """True for a page with a view restriction on itself or an ancestor (treebeard path prefix)."""
    return Exists(PageViewRestriction.objects.filter(page__path=Substr(OuterRef("path"), 1, Length("page__path"))))
