"""The report of an import: what was created, updated, left as it was or skipped (and
why), the shortcodes and languages that could not be carried, the media that could not
be found, the videos left without a poster, the redirects made and the prices that were
not imported."""

import json
from collections import Counter, defaultdict

LIST_LIMIT = 500  # entries kept per list; a count says how many more there were


class Report:
    def __init__(self, dry_run=False):
        self.dry_run = dry_run
        self.counts = defaultdict(Counter)  # kind → {created, updated, unchanged, skipped}
        self.lists = defaultdict(list)
        self.overflow = Counter()
        self.unknown_shortcodes = Counter()
        self.unmapped_languages = Counter()
        self.redirects = 0
        self.links_rewritten = 0

    def count(self, kind, outcome, n=1):
        self.counts[kind][outcome] += n

    def note(self, name, entry):
        if len(self.lists[name]) < LIST_LIMIT:
            self.lists[name].append(entry)
        else:
            self.overflow[name] += 1

    def skip(self, kind, key, title, reason):
        self.count(kind, "skipped")
        self.note("skipped", {"kind": kind, "id": key, "title": title, "reason": reason})

    def as_dict(self):
        return {
            "dry_run": self.dry_run,
            "counts": {kind: dict(counter) for kind, counter in sorted(self.counts.items())},
            "skipped": self.lists["skipped"],
            "missing_media": self.lists["missing_media"],
            "videos_without_poster": self.lists["videos_without_poster"],
            "posters_not_fetched": self.lists["posters_not_fetched"],
            "unknown_shortcodes": dict(self.unknown_shortcodes.most_common()),
            "unmapped_languages": dict(self.unmapped_languages),
            "redirects": self.redirects,
            "links_rewritten": self.links_rewritten,
            "prices_not_imported": self.lists["prices"],
            "notes": self.lists["notes"],
            "more_not_listed": dict(self.overflow),
        }

    def to_json(self):
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False)

    def lines(self):
        """The report as text, for the command's output and the admin."""
        data = self.as_dict()
        out = ["Dry run: nothing was written." if self.dry_run else "Import finished."]
        for kind, counter in data["counts"].items():
            parts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counter.items()))
            out.append(f"  {kind}: {parts}")
        out.append(f"  redirects from old addresses: {self.redirects}")
        out.append(f"  internal links rewritten: {self.links_rewritten}")
        if data["prices_not_imported"]:
            out.append(
                f"  prices not imported (quotes are per inquiry): {len(data['prices_not_imported'])}"
            )
        for entry in data["skipped"]:
            out.append(
                f"  skipped {entry['kind']} {entry['id']} “{entry['title']}”: {entry['reason']}"
            )
        for name, n in data["unknown_shortcodes"].items():
            out.append(f"  unknown shortcode [{name}] kept as text in {n} place(s)")
        for name, n in data["unmapped_languages"].items():
            out.append(f"  language “{name}” is not one of the site's languages: {n} item(s)")
        for entry in data["missing_media"]:
            out.append(f"  missing media: {entry}")
        for entry in data["videos_without_poster"]:
            out.append(f"  video without a poster (add one, or run with --fetch-posters): {entry}")
        for entry in data["posters_not_fetched"]:
            out.append(f"  poster not fetched: {entry}")
        for entry in data["notes"]:
            out.append(f"  note: {entry}")
        for name, n in data["more_not_listed"].items():
            out.append(f"  … and {n} more {name} not listed")
        return out
