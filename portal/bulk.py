"""Bulk writes of generated data (`generate_scale_data`): ids reserved from the table's own
sequence, rows sent with PostgreSQL COPY, every column as Django would write it."""

from django.db import connection


def reserve_ids(model, count):
    """`count` fresh primary keys of `model`'s table, in order."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_objects(model, objects, fields=None):
    """Write `objects` (their primary keys set) into `model`'s own table with COPY; `fields`
    defaults to the table's columns. Nothing is filled in: auto_now dates are written as set."""
    fields = fields or model._meta.local_concrete_fields
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for obj in objects:
            copy.write_row([field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields])
