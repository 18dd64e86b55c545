from django.dispatch import receiver
from wagtail.signals import page_published

from . import notifications  # noqa: F401  (connects the reviewer notifications)
from .disclosure import assign_index_no
from .models import ArticlePage, InterpretationPage


@receiver(page_published, sender=ArticlePage)
@receiver(page_published, sender=InterpretationPage)
def give_disclosed_article_an_index_number(sender, instance, **kwargs):
    assign_index_no(instance)
