"""The one read that authenticates a bearer token: the token with its person
and the person's organisation and enterprise (nearly every request asks for
one of them), found by the key's hash through its unique index.

Through a QuerySet, the ORM compiles this four-table query again on every
request, and compiling it cost several times more than running it. Here it is
compiled once per database connection; each row then goes through the ORM's
own converters and related-object population, as QuerySet iteration does
after compiling. It always reads the primary: a revoked token must be refused
at once, not when a replica catches up.
"""

from __future__ import annotations

import weakref

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.query import get_related_populators

from qingqian.accounts.models import ApiToken

# One compiled read per connection object (each thread has its own).
_compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def token_by_hash(key_hash: str) -> ApiToken | None:
    """The token with this hash, its user, organisation and enterprise
    attached; None if there is none. Expiry is the caller's to check."""
    database = connections[DEFAULT_DB_ALIAS]
    read = _compiled.get(database)
    if read is None:
        read = _compiled[database] = CompiledTokenRead(database)
    return read.token(key_hash)


class CompiledTokenRead:
    def __init__(self, database):
        query = (
            ApiToken.objects.using(database.alias)
            .select_related("user", "user__enterprise", "user__organisation")
            .filter(key_hash="")
            .query
        )
        self.compiler = query.get_compiler(connection=database)
        self.sql, params = self.compiler.as_sql()
        assert len(params) == 1, "the hash is the query's one parameter"  # nosec B101
        select, klass_info = self.compiler.select, self.compiler.klass_info
        self.converters = self.compiler.get_converters(
            [column[0] for column in select[: self.compiler.col_count]]
        )
        token_columns = klass_info["select_fields"]
        self.token_columns = slice(token_columns[0], token_columns[-1] + 1)
        self.token_fields = [column[0].target.attname for column in select[self.token_columns]]
        self.related = get_related_populators(klass_info, select, database.alias)

    def token(self, key_hash: str) -> ApiToken | None:
        database = self.compiler.connection
        with database.cursor() as cursor:
            cursor.execute(self.sql, [key_hash])
            row = cursor.fetchone()
        if row is None:
            return None
        row = next(self.compiler.apply_converters([row], self.converters))
        token = ApiToken.from_db(database.alias, self.token_fields, row[self.token_columns])
        for populator in self.related:
            populator.populate(row, token)
        return token
