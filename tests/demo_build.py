"""`python -m tests.demo_build`: the background build of tests.demo_snapshot. Runs `seed_demo`
into the database of DATABASE_URL with the "demo" worker's directories, index prefix and cache
keys (portal.settings.test), then writes the status file the workers wait for."""

import json
import os
import shutil
import traceback
from pathlib import Path

FILE_ROOTS = ("MEDIA_ROOT", "LETTERS_PRIVATE_ROOT", "PRIVATE_MEDIA_ROOT")


def main():
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache, caches
    from django.core.management import call_command

    from search.connection import get_client, index_name

    status = Path(os.environ["PORTAL_TEST_DEMO_STATUS"])
    try:
        roots = {
            name: Path(getattr(settings, name)) for name in ("MEDIA_ROOT", "LETTERS_PRIVATE_ROOT", "PRIVATE_MEDIA_ROOT")
        }
        for root in roots.values():
            shutil.rmtree(root, ignore_errors=True)
        cache.clear()
        caches["pages"].clear()
        client = get_client()
        for name in client.indices.get(index=f"{index_name('')}*", expand_wildcards="all"):
            client.indices.delete(index=name)
        call_command("seed_demo", "--quiet")
        manifest = {"database": settings.DATABASES["default"]["NAME"], **{k: str(v) for k, v in roots.items()}}
    except Exception:  # noqa: BLE001 (whatever went wrong is reported to the tests that wait)
        manifest = {"error": traceback.format_exc()}
    partial = status.with_suffix(".tmp")
    partial.write_text(json.dumps(manifest))
    partial.replace(status)


if __name__ == "__main__":
    main()
