"""The portal crawler: from a department name to audited guides, politely and resumably.

politeness.py   per-host concurrency and rate (with jitter), robots.txt
fetch.py        one careful HTTP fetcher (retries, backoff, Retry-After, same-host redirects, size caps)
cache.py        the SQLite file: pages for conditional requests, runs for resuming
profile.py      portal profiles (TOML): how to walk a portal family; profiles/*.toml are built in
departments.py  department names as inspectors type them → the portal's department
navigate.py     department list → item lists → guides → attachment links
encoding.py     which charset a page really uses (GBK pages often declare none)
sample_server.py  the bundled sample portal, served on 127.0.0.1
pipeline.py     audit_portal / audit_department / crawl_to_dir: crawl, extract, check

from guidecheck.crawl import open_portal, audit_department
with open_portal(None) as portal:       # the bundled sample portal
    result = audit_department(portal, "规划和自然资源局", load_ruleset())
"""

from guidecheck.crawl.pipeline import (
    CrawlOptions,
    audit_department,
    audit_portal,
    crawl_to_dir,
    open_portal,
)

__all__ = ["CrawlOptions", "audit_department", "audit_portal", "crawl_to_dir", "open_portal"]
