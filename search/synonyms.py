"""The editors' synonym table as the query parser uses it (see search.query).

The table is read from the shared cache and reloaded from the database after any change
(signal handlers below) or after CACHE_SECONDS, so every app server applies an edit within
minutes at the latest and at once where the cache is shared.
"""

from functools import lru_cache

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Synonym
from .query import _CJK, compact_pinyin, fold

CACHE_KEY = "search:synonym-groups"
CACHE_SECONDS = 300


class SynonymTable:
    """Groups of words that mean the same, folded as queries are."""

    def __init__(self, groups):
        self.groups = []
        self._group_of = {}
        for raw in groups:
            group = tuple(dict.fromkeys(word for word in (fold(w).replace(" ", "") for w in raw) if word))
            if len(group) < 2:
                continue
            self.groups.append(group)
            for word in group:
                self._group_of.setdefault(word, group)
        self._by_first_char = {}
        for word in sorted(self._group_of, key=len, reverse=True):
            self._by_first_char.setdefault(word[0], []).append(word)
        self._by_pinyin = {}
        for word, group in self._group_of.items():
            if _CJK.match(word):
                self._by_pinyin.setdefault(compact_pinyin(word), (word, *[w for w in group if w != word]))

    def spans(self, text):
        """Cut `text` into (piece, group) pairs: a group member found in the text (longest
        first) with its group, the text between members with None."""
        plain_start = position = 0
        while position < len(text):
            word = next((w for w in self._by_first_char.get(text[position], ()) if text.startswith(w, position)), None)
            if word is None:
                position += 1
                continue
            if plain_start < position:
                yield text[plain_start:position], None
            group = self._group_of[word]
            yield word, (word, *[w for w in group if w != word])
            position += len(word)
            plain_start = position
        if plain_start < len(text):
            yield text[plain_start:], None

    def by_pinyin(self, letters):
        """The group whose member reads as `letters` (yibao → 医保…), or None."""
        return self._by_pinyin.get(letters)

    def related(self, text):
        """Groups with a member that shares a two-character word with `text`, for the
        suggestions of a search that found nothing."""
        bigrams = {text[i : i + 2] for i in range(len(text) - 1)}
        return [group for group in self.groups if any(b in word for word in group for b in bigrams)]


def load_groups():
    return [synonym.members for synonym in Synonym.objects.all()]


def current_table():
    groups = cache.get(CACHE_KEY)
    if groups is None:
        groups = load_groups()
        cache.set(CACHE_KEY, groups, CACHE_SECONDS)
    return _table(tuple(tuple(group) for group in groups))


@lru_cache(maxsize=4)
def _table(groups):
    # Keyed by the groups themselves, so a changed table is always built afresh.
    return SynonymTable(groups)


@receiver(post_save, sender=Synonym)
@receiver(post_delete, sender=Synonym)
def forget_cached_groups(**kwargs):
    cache.delete(CACHE_KEY)
