"""`update_index`: Wagtail's rebuild of its search indices, then the site search index
(search.site_index), so that one command rebuilds every search index pages feed."""

from modelsearch.management.commands.rebuild_modelsearch_index import Command as WagtailCommand

from search import site_index
from search.connection import elasticsearch_enabled


class Command(WagtailCommand):
    help = "Rebuild Wagtail's search indices and the site search index from the database."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--site-only", action="store_true", help="Rebuild only the site search index.")

    def handle(self, **options):
        self.verbosity = options["verbosity"]
        if not options["site_only"]:
            super().handle(**options)
        if options["schema_only"] or not elasticsearch_enabled():
            return
        count = site_index.rebuild(chunk_size=options["chunk_size"])
        self.write(f"Site search index rebuilt: {count} entries.")
