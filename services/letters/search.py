"""The letters index in Elasticsearch (elasticsearch-dsl): all letters for the officials'
full-text search, public versions for the site search, and `more_like_this` for repeats
and group matters.

PostgreSQL stays the source of truth. Every change bumps `Letter.version` and queues
`index_letter_task` after commit; the task records the version it wrote in
`indexed_version`. While Elasticsearch is unreachable the task queues itself again with
growing delays (search.connection.RETRY_DELAYS); once those are used up the letter stays
pending and `sweep_pending_letters` (task and `manage.py letters_index --pending`) repairs.
"""

import datetime
import logging

from django.db.models import F
from django.utils import timezone
from django_tasks import task
from elasticsearch_dsl import Boolean, Date, Document, Index, Integer, Keyword, Q, Search, Text

from search.analysis import CHINESE_SEARCH, analysis_settings, chinese_text_field
from search.connection import elasticsearch_enabled, get_client, index_name, retry_later

from . import conf
from .models import GroupAlert, Letter, PublicVersion

logger = logging.getLogger(__name__)


def chinese_text():
    # `bigrams`: words only (no single characters), for more_like_this.
    return chinese_text_field(fields={"bigrams": Text(analyzer=CHINESE_SEARCH)})


class LetterDocument(Document):
    tracking_no = Keyword()
    title = chinese_text()
    content = chinese_text()
    reply = chinese_text()
    letter_type = Keyword()
    topic = Keyword()
    status = Keyword()
    mailbox_id = Integer()
    department_ids = Integer(multi=True)
    accused_department_id = Integer()
    reopen_count = Integer()
    submitted_at = Date()
    is_public = Boolean()
    public_title = chinese_text()
    public_content = chinese_text()
    public_reply = chinese_text()


def letters_index_name():
    return index_name("letters")


def letters_index():
    index = Index(letters_index_name())
    index.settings(number_of_shards=1, analysis=analysis_settings())
    index.document(LetterDocument)
    return index


def ensure_index(client):
    index = letters_index()
    if not index.exists(using=client):
        index.create(using=client)


def document_for(letter):
    public = getattr(letter, "public_version", None)
    is_public = bool(public and public.state == PublicVersion.State.PUBLISHED)
    return LetterDocument(
        meta={"id": letter.pk},
        tracking_no=letter.tracking_no,
        title=letter.title,
        content=letter.content,
        reply=letter.reply,
        letter_type=letter.letter_type,
        topic=letter.topic,
        status=letter.status,
        mailbox_id=letter.mailbox_id,
        department_ids=sorted({a.department_id for a in letter.assignments.all()}),
        accused_department_id=letter.accused_department_id,
        reopen_count=letter.reopen_count,
        submitted_at=letter.submitted_at,
        is_public=is_public,
        public_title=public.title if is_public else "",
        public_content=public.content if is_public else "",
        public_reply=public.reply if is_public else "",
    )


def index_letter(letter_id):
    """Write the letter's current version to the index; raises if Elasticsearch fails."""
    if not elasticsearch_enabled():
        return  # the embedded default has no Elasticsearch; `letters_index --rebuild` fills it later
    letter = Letter.objects.select_related("public_version").filter(pk=letter_id).first()
    if letter is None:
        return
    client = get_client()
    ensure_index(client)
    version = letter.version
    document_for(letter).save(using=client, index=letters_index_name())
    Letter.objects.filter(pk=letter.pk, version=version).update(indexed_version=version)


@task()
def index_letter_task(letter_id, attempt=1):
    try:
        index_letter(letter_id)
    except Exception as exc:
        if not retry_later(index_letter_task, [letter_id], attempt, exc, "letter indexing"):
            raise


def pending_letters():
    return Letter.objects.exclude(indexed_version=F("version"))


def sweep_pending_letters():
    """Queue an index update for every letter whose latest version is not in the index."""
    ids = list(pending_letters().values_list("pk", flat=True))
    for pk in ids:
        index_letter_task.enqueue(pk)
    return len(ids)


@task()
def sweep_pending_letters_task():
    return sweep_pending_letters()


def rebuild_index():
    client = get_client()
    letters_index().delete(using=client, ignore_unavailable=True)
    ensure_index(client)
    count = 0
    for letter in Letter.objects.select_related("public_version").iterator():
        document_for(letter).save(using=client, index=letters_index_name())
        Letter.objects.filter(pk=letter.pk, version=letter.version).update(indexed_version=letter.version)
        count += 1
    return count


# --- Similarity ----------------------------------------------------------------------------


def _similar(title, content, overlap):
    """Letters that say the same thing: `more_like_this` ranks candidates, and at least
    `overlap` of the new content's words (bigrams) must occur in theirs. The second clause
    matters because more_like_this only weighs words already in the index, so in a small
    index any two letters sharing a place name would look alike."""
    return Q(
        "bool",
        must=[
            Q(
                "more_like_this",
                fields=["title.bigrams", "content.bigrams"],
                like=f"{title}\n{content}",
                min_term_freq=1,
                min_doc_freq=1,
                max_query_terms=50,
                minimum_should_match="30%",
            )
        ],
        filter=[Q("match", **{"content.bigrams": {"query": content, "minimum_should_match": overlap}})],
    )


def _search():
    return Search(using=get_client(), index=letters_index_name()).params(ignore_unavailable=True)


def find_repeat(title, content, candidate_ids):
    """The letter among `candidate_ids` (workflow.repeat_candidates: the same verified writer's
    open matters) that says the same thing, or None; None too when Elasticsearch cannot be
    asked, so that writing a letter never depends on it."""
    if not candidate_ids or not elasticsearch_enabled():
        return None
    query = _search().query(
        Q("bool", must=[_similar(title, content, "50%")], filter=[Q("ids", values=[str(pk) for pk in candidate_ids])])
    )[:1]
    try:
        hits = query.execute().hits
    except Exception as exc:
        logger.warning("repeat check skipped, Elasticsearch unavailable: %s", exc.__class__.__name__)
        return None
    if not hits:
        return None
    return Letter.objects.filter(pk=int(hits[0].meta.id)).first()


def check_group_matter(letter):
    """Raise or extend a 群体性诉求预警 when many writers sent similar letters recently."""
    if not elasticsearch_enabled():
        return None
    since = timezone.now() - datetime.timedelta(days=conf.setting("LETTERS_GROUP_WINDOW_DAYS"))
    query = _search().query(
        Q(
            "bool",
            must=[_similar(letter.title, letter.content, "50%")],
            filter=[Q("range", submitted_at={"gte": since})],
        )
    )[:50]
    try:
        hits = query.execute().hits
    except Exception as exc:
        logger.warning("group check skipped, Elasticsearch unavailable: %s", exc.__class__.__name__)
        return None
    ids = {int(hit.meta.id) for hit in hits} | {letter.pk}
    similar = list(Letter.objects.filter(pk__in=ids))
    writers = {lt.phone_hash or lt.id_hash or f"anon-{lt.pk}" for lt in similar}
    if len(writers) < conf.setting("LETTERS_GROUP_THRESHOLD"):
        return None
    alert = GroupAlert.objects.filter(resolved=False, letters__in=similar).distinct().first()
    if alert is None:
        alert = GroupAlert.objects.create(title=letter.title)
    alert.letters.add(*similar)
    return alert


def search_letters(query, letter_ids=None, public_only=False):
    """Full-text search; returns letter ids in rank order (officials: scoped by `letter_ids`)."""
    fields = (
        ["public_title^3", "public_content", "public_reply"]
        if public_only
        else ["tracking_no^5", "title^3", "content", "reply"]
    )
    search = _search().query(Q("multi_match", query=query, fields=fields, type="best_fields"))
    if public_only:
        search = search.filter("term", is_public=True)
    if letter_ids is not None:
        search = search.filter("terms", _id=[str(pk) for pk in letter_ids])
    search = search.source(False)[:200]
    return [int(hit.meta.id) for hit in search.execute().hits]


@task()
def check_group_matter_task(letter_id):
    letter = Letter.objects.filter(pk=letter_id).first()
    if letter is not None:
        check_group_matter(letter)
