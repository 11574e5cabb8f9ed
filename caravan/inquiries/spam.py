"""Spam checks without third-party services.

Each rule adds its weight to the score; an inquiry whose score reaches
CARAVAN_INQUIRY_SPAM_THRESHOLD (50) is flagged. With the default weights every rule is
enough on its own; raising the threshold turns the lighter rules into hints that only
count together. Flagged inquiries are stored like any other and shown in the admin; they
are never e-mailed to the sales team and never get an auto-reply."""

import re
from dataclasses import dataclass, field

from . import conf

WEIGHTS = {
    "honeypot": 100,  # the hidden field that people never see was filled in
    "token_invalid": 80,  # a token we did not sign
    "token_missing": 60,  # posted without going through our form
    "too_fast": 60,  # sent sooner after the form opened than a person can type
    "link_in_name": 60,  # a web address where a name belongs
    "token_expired": 50,  # the form was opened longer ago than the token lives
    "token_reused": 50,  # one token used for several inquiries
    "too_many_links": 50,  # more web addresses than CARAVAN_INQUIRY_MAX_LINKS
    "blocked_word": 50,  # a word from CARAVAN_INQUIRY_BLOCKED_WORDS
}

# One match per link: "https://www.x" is one link, not two.
LINK_RE = re.compile(r"(?:\bhttps?://|\bwww\.)[^\s<>\"']+|\[url\b|<a\s", re.IGNORECASE)


@dataclass
class Verdict:
    score: int = 0
    reasons: list = field(default_factory=list)

    def add(self, rule, detail=""):
        self.score += WEIGHTS[rule]
        self.reasons.append(f"{rule}:{detail}" if detail else rule)

    @property
    def is_spam(self):
        return self.score >= conf.spam_threshold()


def _blocked_word_pattern(word):
    escaped = r"\s+".join(re.escape(part) for part in word.split())
    # Whole words where the word starts/ends with a word character; plain substrings
    # otherwise (and for scripts written without spaces).
    if word.isascii():
        return re.compile(rf"(?<!\w){escaped}(?!\w)", re.IGNORECASE)
    return re.compile(escaped, re.IGNORECASE)


def assess(*, name, message, company, honeypot, token_check, token_fresh):
    """Score one submission. `token_check` is a tokens.TokenCheck; `token_fresh` is False
    when its nonce was already used for another inquiry."""
    verdict = Verdict()
    if honeypot.strip():
        verdict.add("honeypot")
    if token_check.status == "missing":
        verdict.add("token_missing")
    elif token_check.status == "invalid":
        verdict.add("token_invalid")
    elif token_check.status == "expired":
        verdict.add("token_expired", f"{token_check.age:.0f}s")
    elif token_check.age is not None and token_check.age < conf.min_seconds():
        verdict.add("too_fast", f"{max(token_check.age, 0):.1f}s")
    if token_check.nonce and not token_fresh:
        verdict.add("token_reused")
    if LINK_RE.search(name):
        verdict.add("link_in_name")
    links = len(LINK_RE.findall(message))
    if links > conf.max_links():
        verdict.add("too_many_links", str(links))
    text = "\n".join((name, company, message))
    for word in conf.blocked_words():
        if _blocked_word_pattern(word).search(text):
            verdict.add("blocked_word", word)
            break
    return verdict
