"""Django's PostgreSQL backend, emptying tables the fast way between transactional tests.

Django empties every table after each transactional test with one `TRUNCATE` of all ~130
tables, which creates new files for each of them: about 3 s a test on this machine. The few
rows a test leaves are removed faster with `DELETE` in one transaction (every foreign key
Django creates is deferred to the commit, so the order does not matter). The tables are locked
first: a request a browser sent just before the test ended (Wagtail's editing-session ping) may
still be writing through the live server, and a row it inserted between two DELETEs would fail
the commit. Nothing else differs from the production backend."""

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables:
            return []
        names = ", ".join(style.SQL_FIELD(self.quote_name(table)) for table in tables)
        sql = [f"{style.SQL_KEYWORD('LOCK TABLE')} {names} {style.SQL_KEYWORD('IN ACCESS EXCLUSIVE MODE')};"]
        sql += [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]
        if reset_sequences:
            emptied = set(tables)
            sequences = [s for s in self.connection.introspection.sequence_list() if s["table"] in emptied]
            sql.extend(self.sequence_reset_by_name_sql(style, sequences))
        return sql


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
