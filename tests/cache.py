"""The cache backend of test runs on a shared Redis: several worktrees' runs (and CI) may use one
server, so clearing the cache between tests deletes this run's keys only."""

from django.core.cache.backends.redis import RedisCache


class PrefixedRedisCache(RedisCache):
    def clear(self):
        client = self._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        for start in range(0, len(keys), 500):
            client.delete(*keys[start : start + 500])
        return True
