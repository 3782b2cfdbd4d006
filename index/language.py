"""The language of an article, detected at index time: an ISO 639-1 code such as ``"de"``.

The detector is py3langid (BSD-3-Clause; a 4.6 MB wheel whose naive Bayes model over byte n-grams covers 97
languages; ~0.8 CPU-s to load once per process, then ~0.1-0.3 ms per article on the first
:data:`SAMPLE_CHARS` characters). Short or non-linguistic texts fool any detector: a Reuters earnings table
("Shr 45 cts vs 58 cts Net 1.1 mln") comes out as Nigerian Pidgin or as "no linguistic content" with low
confidence. So a guess counts only when the detector is confident (:data:`MIN_CONFIDENCE`) and names a language
with a two-letter code; otherwise the article gets :data:`DEFAULT_LANGUAGE`, English, the language the rest of
newsearch assumed before languages were told apart.
"""

from functools import cache

DEFAULT_LANGUAGE = "en"
#: Normalized probability below which the detector's guess is not used.
MIN_CONFIDENCE = 0.8
#: How much of an article (title first) is read: enough for a sure guess, little enough to be cheap.
SAMPLE_CHARS = 600
#: Detector labels without a two-letter code that belong to a language with one.
MACRO_LANGUAGES = {"ary": "ar", "arz": "ar", "yue": "zh", "wuu": "zh", "uzs": "uz"}


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
    label, confidence = _identifier().classify(sample)
    label = MACRO_LANGUAGES.get(label, label)
    if confidence < MIN_CONFIDENCE or len(label) != 2:
        return DEFAULT_LANGUAGE
    return label


def language_code(value) -> str | None:
    """A language given with the input (``"de"``, ``"DE"``, ``"de-AT"``, ``"de_AT"``) as an ISO 639-1 code;
    None when it is not one."""
    if not isinstance(value, str):
        return None
    code = value.strip().lower().replace("_", "-").split("-")[0]
    return code if len(code) == 2 and code.isascii() and code.isalpha() else None
