from django.dispatch import receiver
from wagtail.signals import page_published

from . import (
    notifications,  # noqa: F401  (connects the reviewer notifications)
    site_search,  # noqa: F401  (queues site search updates when pages change)
)
from .disclosure import assign_index_no
from .models import ArticlePage


@receiver(page_published, sender=ArticlePage)
def give_disclosed_article_an_index_number(sender, instance, **kwargs):
    assign_index_no(instance)
