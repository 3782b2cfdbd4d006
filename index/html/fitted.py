"""Every value of HTML extraction that was fitted on evaluation pages, in one place.

``python -m bench.quality_html --fit`` fits them on all pages of html-trafilatura-dev and prints
this module's values; the same bench refits them on the other sites for each held-out site
(leave-one-site-out) to measure how well they transfer. Nothing here is learned at reindex time:
what a reindex learns from the user's own collection lives in :mod:`index.html.site`.

- :data:`BODY`: thresholds and switches of choosing and cleaning the main text;
- :data:`TITLE_WEIGHTS`: weights of the evidence for a title candidate (:mod:`index.html.title`);
- :data:`DATE_WEIGHTS`: weights of the sources that support a candidate day (:mod:`index.html.dates`).
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class BodyParams:
    """How the main text is chosen among trafilatura's modes and cleaned."""

    #: the default-mode text wins when the precision text keeps less than this share of it
    precision_keep: float = 0.5
    #: a precision text this long is a whole article (the default mode is not run: a speed guard)
    precision_long: int = 2000
    #: a chosen text shorter than this gives way to a longer recall-mode text (0: never)
    recall_below: int = 0
    #: drop paragraphs found on the page only inside boxes (pop-ups, newsletter boxes, site header …)
    drop_chrome: bool = False
    #: drop date/time stamps ("Mo, 11:41 Uhr", "06.11.2023") before the text
    drop_stamps: bool = False
    #: drop short lines the text repeats ("Bild anzeigen" under every picture)
    drop_repeats: bool = False

    def cleaning(self) -> "BodyParams":
        """These params without the thresholds that choose among the candidates (cleaning does not
        read them): params equal here clean a text alike."""
        return dataclasses.replace(self, precision_keep=0.0, precision_long=0, recall_below=0)


# --- fitted on all pages of html-trafilatura-dev (python -m bench.quality_html --fit) ---

BODY = BodyParams(precision_keep=0.4, precision_long=2000, recall_below=100, drop_chrome=False, drop_stamps=True,
                  drop_repeats=True)

TITLE_WEIGHTS = {
    'h1': 2.1036, 'h1_own': 1.4615, 'h1_part': 0.3921, 'h1_stretch': 0.0, 'subheading': 0.0, 'classed': 0.4577,
    'shown': 2.2132, 'meta': 0.8525, 'meta_part': 0.5781, 'meta_stripped': 0.0, 'site_rest': 0.2244, 'site': 0.0,
    'has_site': -0.7007, 'body_line': 0.6438, 'body_words': 1.1284, 'similar': 1.7986, 'short': -0.4868,
    'chrome': 0.0,
}

DATE_WEIGHTS = {
    'meta_published': 0.3196, 'ld_published': 0.0, 'itemprop_published': 0.0, 'generic': 0.0, 'modified': 0.0,
    'url': 1.1572, 'url_month': 0.2778, 'time_published': 0.0, 'time': 0.0, 'label': 4.6187, 'headline': 4.7039,
    'htmldate': 1.5661, 'htmldate_text': 0.0,
}
