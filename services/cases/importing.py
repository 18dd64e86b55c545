"""Import of JSON Lines batches from the case-management system.

Each line is validated on its own and applied in its own savepoint (a case is imported
whole or not at all); a bad line is listed in the batch report with its reason and the
good lines are applied. Cases are upserted by case number, and a record identical to what
is stored changes nothing, so a batch imported twice leaves the data as it was.
Search indexing is queued when the transaction that wrote the cases commits.
"""

import json

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Case, CaseEvent, ImportBatch, LegalDocument, Party, RejectedLine
from .publication import receive_document
from .records import RecordError, parse_record
from .tasks import index_cases

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def _decode(line):
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError:
            raise RecordError("不是 UTF-8 编码的文本") from None
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise RecordError(f"不是有效的 JSON（第{exc.colno}列：{exc.msg}）") from None


IMPORT_CHUNK = 200


def apply_record(record, *, batch=None, source=None, queue_index=True):
    """Create or update one case with its parties, events and documents, all or nothing.

    Returns (CREATED, UPDATED or UNCHANGED, the case). Indexing is queued on commit unless the caller
    queues it itself (`import_lines` queues one task per committed chunk of lines)."""
    fingerprint = record.fingerprint()
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(case_number=record.case_number).first()
        if case is not None and case.fingerprint == fingerprint:
            return UNCHANGED, case
        outcome = CREATED if case is None else UPDATED
        case = case or Case(case_number=record.case_number)
        for name, value in record.case_fields().items():
            setattr(case, name, value)
        case.fingerprint = fingerprint
        case.source = source or case.source
        case.last_batch = batch
        case.save()

        case.parties.all().delete()
        Party.objects.bulk_create(
            Party(case=case, position=n, **vars(party)) for n, party in enumerate(record.parties, start=1)
        )
        case.events.all().delete()
        CaseEvent.objects.bulk_create(
            CaseEvent(case=case, position=n, **vars(event)) for n, event in enumerate(record.events, start=1)
        )
        # Documents keep their rows (and ids) across updates; those the source dropped go.
        numbers = [document.number for document in record.documents]
        case.documents.exclude(number__in=numbers).delete()
        for document in record.documents:
            apply_document(case, document)
        if queue_index:
            index_cases.enqueue([case.pk])
    return outcome, case


def apply_document(case, document):
    """Store one document of a case; its publication state follows what changed (publication.py)."""
    fields = vars(document).copy()
    number = fields.pop("number")
    existing = LegalDocument.objects.select_for_update().filter(number=number).first()
    if existing is not None and existing.case_id != case.pk:
        raise RecordError(f"法律文书编号 {number} 已属于其他案件", case.case_number)
    receive_document(existing or LegalDocument(number=number), case, fields)


def _chunks(items, size):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _BatchRun:
    """Counts, rejections and case numbers seen while one batch is applied."""

    def __init__(self, batch, source):
        self.batch, self.source = batch, source
        self.counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0}
        self.rejections = []
        self.seen = {}
        self.total = 0

    def reject(self, line_number, case_number, reason):
        self.rejections.append(
            RejectedLine(batch=self.batch, line_number=line_number, case_number=case_number, reason=reason[:500])
        )

    def apply_line(self, line_number, line):
        """Apply one line; return the case's pk if it was created or updated."""
        if not (line.strip() if isinstance(line, str | bytes) else line):
            return None
        self.total += 1
        case_number = ""
        try:
            record = parse_record(_decode(line))
            case_number = record.case_number
            if case_number in self.seen:
                raise RecordError(f"与第{self.seen[case_number]}行的案件编号重复", case_number)
            self.seen[case_number] = line_number
            outcome, case = apply_record(record, batch=self.batch, source=self.source, queue_index=False)
        except RecordError as exc:
            self.reject(line_number, exc.case_number, exc.reason)
            return None
        except IntegrityError:  # a concurrent import created the same case or document first
            self.reject(line_number, case_number, "与同时进行的另一批次冲突，未导入，请重新发送该行")
            return None
        self.counts[outcome] += 1
        return case.pk if outcome != UNCHANGED else None


def import_lines(lines, *, channel, source=None, filename="", user=None):
    """Apply every line of a batch; return the ImportBatch with its counts and rejections.

    Lines are committed IMPORT_CHUNK at a time (one commit per line would make large
    batches slow); each line still runs in its own savepoint, so a bad line rolls back
    alone. Indexing of a chunk's changed cases is queued when the chunk commits."""
    batch = ImportBatch.objects.create(channel=channel, source=source, filename=filename[:255], imported_by=user)
    run = _BatchRun(batch, source)
    for chunk in _chunks(enumerate(lines, start=1), IMPORT_CHUNK):
        with transaction.atomic():
            changed = [pk for line_number, line in chunk if (pk := run.apply_line(line_number, line))]
            if changed:
                index_cases.enqueue(changed)
    RejectedLine.objects.bulk_create(run.rejections)
    batch.total_lines = run.total
    batch.created_count = run.counts[CREATED]
    batch.updated_count = run.counts[UPDATED]
    batch.unchanged_count = run.counts[UNCHANGED]
    batch.rejected_count = len(run.rejections)
    batch.finished_at = timezone.now()
    batch.save()
    return batch


def batch_report(batch):
    """The batch as JSON-ready data (the HTTP endpoint's answer, the command's summary)."""
    return {
        "batch": batch.pk,
        "total": batch.total_lines,
        "created": batch.created_count,
        "updated": batch.updated_count,
        "unchanged": batch.unchanged_count,
        "rejected": batch.rejected_count,
        "rejections": [
            {"line": r.line_number, "case_number": r.case_number, "reason": r.reason} for r in batch.rejections.all()
        ],
    }
