"""Text layout: hard-wrapped lines joined into blocks, upper-case headline lines kept apart."""

from index.figures.patterns import CAPS_LINE_SHARE, WRAP_MEDIAN_MIN, WRAP_WIDTH_MAX


def iter_blocks(text: str):
    """Yield (offset, block, caps): paragraphs of hard-wrapped text joined into one block, caps lines apart."""
    wrapped = is_hard_wrapped(text)
    pos = start = 0
    parts: list[str] = []
    for line in text.split("\n"):
        caps = is_caps_line(line)
        if parts and (caps or not line.strip() or not wrapped):
            yield start, " ".join(parts), False
            parts = []
        if caps:
            yield pos, line, True
        elif line.strip():
            start = pos if not parts else start
            parts.append(line)
        pos += len(line) + 1
    if parts:
        yield start, " ".join(parts), False


def is_hard_wrapped(text: str) -> bool:
    """True when most lines stop near one width, as in a wire story broken at ~70 characters."""
    lengths = sorted(len(line) for line in text.split("\n") if line.strip())
    if len(lengths) < 3:
        return False
    return lengths[len(lengths) // 2] >= WRAP_MEDIAN_MIN and lengths[-1 - len(lengths) // 10] <= WRAP_WIDTH_MAX


def is_caps_line(line: str) -> bool:
    """True for a line written mostly in capitals, like a Reuters headline."""
    words = [w for w in line.split() if w[:1].isalpha()]
    if len(words) < 2:
        return bool(words) and len(words[0]) > 3 and words[0].isupper()
    upper = sum(1 for w in words if w.isupper())
    return upper >= CAPS_LINE_SHARE * len(words)

