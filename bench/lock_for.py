#!/usr/bin/env python3
"""Writes to stdout the packages-lock.json Unity would write for a generated benchmark manifest
(crates/core/benches/generate.rs): every dependency at depth 0 from the registry it resolves to.

    bench/lock_for.py MANIFEST > packages-lock.json
"""
import json
import sys

manifest = json.load(open(sys.argv[1]))
scope_url = {}
for registry in manifest.get("scopedRegistries", []):
    for scope in registry["scopes"]:
        scope_url[scope] = registry["url"]


def url_for(name):
    parts = name.split(".")
    for n in range(len(parts), 0, -1):
        url = scope_url.get(".".join(parts[:n]))
        if url is not None:
            return url
    return "https://packages.unity.com"


lock = {
    name: {
        "version": version,
        "depth": 0,
        "source": "registry",
        "dependencies": {},
        "url": url_for(name),
    }
    for name, version in manifest["dependencies"].items()
}
json.dump({"dependencies": lock}, sys.stdout, indent=2)
print()
