"""Literal HTML pages for the extraction tests: a three-paragraph story, in a page or in an article."""

STORY = (
    "<p>The city council voted on Tuesday to rebuild the old harbour bridge, ending a debate "
    "that had lasted for more than ten years and divided the town.</p>"
    "<p>Work is due to start in the spring and the mayor said the bridge would reopen to "
    "traffic within two years, at a cost shared between the city and the region.</p>"
    "<p>Residents who live next to the harbour welcomed the decision but asked for the noise "
    "of the building work to be kept down at night and on weekends.</p>"
)


def page(head: str = "", body: str = "") -> bytes:
    return (f"<html><head>{head}</head><body>{body}</body></html>").encode("utf-8")


def article_page(head: str = "", before: str = "", after: str = "") -> bytes:
    """The story under its headline in an ``<article>``, with ``before`` and ``after`` it in the body."""
    body = f"{before}<article><h1>Harbour bridge to be rebuilt</h1>{STORY}</article>{after}"
    return page(head, body)
