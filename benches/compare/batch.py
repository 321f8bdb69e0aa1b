#!/usr/bin/env python3
"""The careful reseller's script: POST /apps/batch with 100 rows at a time, one after the other
(standard library only).

Usage: batch.py FILE.csv BASE_URL   (API key in CONNECT_API_KEY)
Sends name and redirect URIs with continueOnError, no idempotency key and no retry, and prints
"created N failed M".
"""

import csv
import json
import os
import sys
import urllib.error
import urllib.request


def send(base_url, headers, items):
    body = json.dumps({"items": items, "continueOnError": True}).encode()
    request = urllib.request.Request(base_url + "/apps/batch", body, headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            results = json.load(response)["results"]
        ok = sum(1 for r in results if r.get("app"))
        return ok, len(items) - ok
    except (urllib.error.URLError, OSError, ValueError, KeyError):
        return 0, len(items)


def main():
    path, base_url = sys.argv[1], sys.argv[2].rstrip("/")
    headers = {
        "Authorization": "Bearer " + os.environ["CONNECT_API_KEY"],
        "Content-Type": "application/json",
    }
    created = failed = 0
    items = []
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            uris = row.get("redirectUris", "").split()
            items.append({"name": row["name"], "redirectUris": uris})
            if len(items) == 100:
                ok, bad = send(base_url, headers, items)
                created, failed, items = created + ok, failed + bad, []
    if items:
        ok, bad = send(base_url, headers, items)
        created, failed = created + ok, failed + bad
    print(f"created {created} failed {failed}")


if __name__ == "__main__":
    main()
