"""The language of an article, detected at index time: an ISO 639-1 code such as ``"de"``.

The detector is py3langid (BSD-3-Clause, by the author of trafilatura; a 4.6 MB wheel whose naive Bayes model
over byte n-grams covers 97 languages; ~0.8 CPU-s to load once per process, then ~0.3 ms per article on the
first :data:`SAMPLE_CHARS` characters). A sample made largely of English function words is English without
asking it (:func:`plainly_english`; 72% of Reuters stories), which keeps extraction fast.

Short or non-linguistic texts fool any detector: a Reuters earnings table ("Shr 45 cts vs 58 cts Net 1.1 mln")
comes out as Nigerian Pidgin or as "no linguistic content" with low confidence. So a guess counts only when the
detector is confident (:data:`MIN_CONFIDENCE`) and names a language with a two-letter code; otherwise the article
gets :data:`DEFAULT_LANGUAGE`, English, the language the rest of newsearch assumed before languages were told
apart. :data:`SAMPLE_CHARS` and :data:`MIN_CONFIDENCE` were chosen on a small grid over the dev pages and
Reuters-21578 (327/328 pages right, no Reuters or BBC story taken for another language).
"""

import re
from functools import cache

DEFAULT_LANGUAGE = "en"
#: Normalized probability below which the detector's guess is not used.
MIN_CONFIDENCE = 0.8
#: How much of an article (title first) is read: enough for a sure guess, little enough to be cheap.
SAMPLE_CHARS = 400
#: Detector labels without a two-letter code that belong to a language with one.
MACRO_LANGUAGES = {"ary": "ar", "arz": "ar", "yue": "zh", "wuu": "zh", "uzs": "uz"}


#: Words of English running text so frequent that a text made of enough of them is English for sure: such
#: texts skip the detector (a third of extraction's time on short English wire stories otherwise).
ENGLISH_FUNCTION_WORDS = frozenset(
    "the of and to in a is was for on that with said it by at as from be has have are were will its an this "
    "but not which would their after they he she his her".split())
ENGLISH_MIN_WORDS = 5
ENGLISH_MIN_SHARE = 0.2
WORDS = re.compile(r"[^\W\d_]+")


@cache
def _identifier():
    """The py3langid model, loaded on first use (once per process)."""
    from py3langid.langid import MODEL_FILE
    from py3langid.langid import LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(title: str, body: str) -> str:
    """The ISO 639-1 code of the language an article is written in, or :data:`DEFAULT_LANGUAGE` when unsure."""
    sample = f"{title}\n{body}"[:SAMPLE_CHARS] if title else body[:SAMPLE_CHARS]
    if not any(c.isalpha() for c in sample):
        return DEFAULT_LANGUAGE
    if plainly_english(sample):
        return "en"
    label, confidence = _identifier().classify(sample)
    label = MACRO_LANGUAGES.get(label, label)
    if confidence < MIN_CONFIDENCE or len(label) != 2:
        return DEFAULT_LANGUAGE
    return label


def plainly_english(sample: str) -> bool:
    """At least :data:`ENGLISH_MIN_WORDS` English function words, making :data:`ENGLISH_MIN_SHARE` of the words."""
    words = WORDS.findall(sample.lower())
    hits = sum(1 for w in words if w in ENGLISH_FUNCTION_WORDS)
    return hits >= ENGLISH_MIN_WORDS and hits >= ENGLISH_MIN_SHARE * len(words)


def language_code(value) -> str | None:
    """A language given with the input (``"de"``, ``"DE"``, ``"de-AT"``, ``"de_AT"``) as an ISO 639-1 code;
    None when it is not one."""
    if not isinstance(value, str):
        return None
    code = value.strip().lower().replace("_", "-").split("-")[0]
    return code if len(code) == 2 and code.isascii() and code.isalpha() else None
