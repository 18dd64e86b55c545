"""Django's PostgreSQL backend, emptying tables the fast way between transactional tests.

Django empties every table after each transactional test with one `TRUNCATE` of all ~130
tables, which creates new files for each of them: about 3 s a test on this machine. The few
rows a test leaves are removed faster with `DELETE` in one transaction (every foreign key
Django creates is deferred to the commit, so the order does not matter). Nothing else differs
from the production backend."""

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        sql = [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]
        if reset_sequences:
            emptied = set(tables)
            sequences = [s for s in self.connection.introspection.sequence_list() if s["table"] in emptied]
            sql.extend(self.sequence_reset_by_name_sql(style, sequences))
        return sql


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
