"""Keywords from a goal's own words (the listing's text is searched for them in SQL)."""

import re

MAX_KEYWORDS = 6
# Words that say nothing about which group would suit: they would match every listing.
STOPWORDS = frozenset(
    """
    a about again all also am an and any are as at back be because been being better but by can
    could day days do does doing each else even every feel feeling find for from get getting go
    going good got had has have help her here him his how i if in into is it its just keep know
    less like little lot lots make me more most much my need new not now of off on once one only
    or other others our out over people person really same see she should so some someone
    something start still such take than that the their them then there these they thing things
    this those time times to too try up us use very want wants was way we week weekly well went
    were what when where which while who will with without would year you your able again
    """.split()  # noqa: SIM905  (a word list reads better as prose)
)
_WORD = re.compile(r"[a-z]+")


def stem(word: str) -> str:
    """A rough stem so that "walking", "walks" and "walk" meet: enough for matching, not linguistics."""
    for suffix in ("ing", "ers", "es", "er", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            root = word[: -len(suffix)]
            if suffix == "ing" and len(root) > 3 and root[-1] == root[-2]:
                root = root[:-1]  # swimming → swim
            return root
    return word


def keywords(own_words: str | None) -> list[str]:
    """Distinctive stems from the goal, in the order the person said them."""
    found: list[str] = []
    for word in _WORD.findall((own_words or "").lower().replace("'", "")):
        if len(word) < 3 or word in STOPWORDS:
            continue
        stemmed = stem(word)
        if stemmed not in found:
            found.append(stemmed)
        if len(found) == MAX_KEYWORDS:
            break
    return found
