#!/usr/bin/env python3
"""What a reseller writes first: one POST /apps per CSV row (standard library only).

Usage: per_row.py FILE.csv BASE_URL   (API key in CONNECT_API_KEY)
Sends the name only, with no idempotency key and no retry, and prints "created N failed M".
"""

import csv
import json
import os
import sys
import urllib.error
import urllib.request


def main():
    path, base_url = sys.argv[1], sys.argv[2].rstrip("/")
    headers = {
        "Authorization": "Bearer " + os.environ["CONNECT_API_KEY"],
        "Content-Type": "application/json",
    }
    created = failed = 0
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            body = json.dumps({"name": row["name"]}).encode()
            request = urllib.request.Request(base_url + "/apps", body, headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    json.load(response)
                created += 1
            except (urllib.error.URLError, OSError, ValueError):
                failed += 1
    print(f"created {created} failed {failed}")


if __name__ == "__main__":
    main()
