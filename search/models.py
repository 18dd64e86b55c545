"""What editors keep for site search: the synonym table and the weekly search-term figures."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s,，、;；/|]+")


class Synonym(models.Model):
    """A group of words that mean the same to a searcher: an abbreviation people type and
    the full form the texts use (低保 — 最低生活保障). Searching for any member of the group
    finds texts that contain any other."""

    term = models.CharField(
        _("常用说法"), max_length=50, unique=True, help_text=_("群众常用的简称或说法，例如“低保”。")
    )
    synonyms = models.TextField(
        _("同义词或全称"),
        help_text=_("正文中使用的全称或其他说法，每行一个，或用顿号、逗号分隔，例如“最低生活保障”。"),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["term"]
        verbose_name = _("搜索同义词")
        verbose_name_plural = _("搜索同义词")

    def __str__(self):
        return self.term

    @property
    def other_words(self):
        return [word for word in _SEPARATORS.split(self.synonyms) if word and word != self.term]

    @property
    def members(self):
        return [self.term, *self.other_words]


class SearchTermDay(models.Model):
    """How often a query was searched on one day, and how often it found nothing. The query
    is stored folded and with ID numbers and phone numbers masked (search.logging)."""

    day = models.DateField(_("日期"))
    query = models.CharField(_("搜索词"), max_length=100)
    searches = models.PositiveIntegerField(_("搜索次数"), default=0)
    zero_results = models.PositiveIntegerField(_("无结果次数"), default=0)

    class Meta:
        verbose_name = _("搜索词统计")
        verbose_name_plural = _("搜索词统计")
        constraints = [models.UniqueConstraint(fields=["day", "query"], name="search_term_day_unique")]
        indexes = [models.Index(fields=["day"])]

    def __str__(self):
        return f"{self.day} {self.query}"
