"""What a change to letters makes stale in the page cache (portal.page_cache): the public list,
whose monthly figures count every letter, with all its pages and searches; the letter's public
page; the site search. Every change of a letter saves it or records an event (workflow.py)."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from wagtail import hooks

from portal.page_cache import purge

from .models import Letter, LetterEvent, PublicVersion

SEARCH_PATH = "/search/"


def letter_changed(letter_pk):
    paths = {reverse("letters:list"), SEARCH_PATH}
    for version_pk in PublicVersion.objects.filter(letter_id=letter_pk).values_list("pk", flat=True):
        paths.add(reverse("letters:detail", args=[version_pk]))
    purge(paths)


@receiver(post_save, sender=Letter)
def purge_saved_letter(sender, instance, raw=False, **kwargs):
    if not raw:
        letter_changed(instance.pk)


@receiver(post_save, sender=LetterEvent)
@receiver(post_save, sender=PublicVersion)
def purge_letter_of(sender, instance, raw=False, **kwargs):
    if not raw:
        letter_changed(instance.letter_id)


@hooks.register("page_cache_public_paths")
def public_letter_paths():
    published = PublicVersion.objects.filter(state=PublicVersion.State.PUBLISHED).values_list("pk", flat=True)
    return [reverse("letters:list"), *(reverse("letters:detail", args=[pk]) for pk in published.iterator())]
