"""Paper-white clean-up for scanned document pages before JPEG compression.

Scanner noise on blank paper is what makes scanned pages big: JPEG spends
most of its bytes on grain nobody needs to see.  Like a scanner driver's
"background removal", we find the paper's brightness from the histogram,
turn everything at least that bright to white and stretch the rest to the
full range — ink, stamps and photos keep their tones.  Pages that are not
mostly light paper (photos, dark forms) are left alone.
"""

from __future__ import annotations

from PIL import Image

# The paper peak must be at least this bright, this narrow (paper is even; a
# photo's tones are not) and cover this share of the page.
MIN_PAPER_LEVEL = 150
MAX_PAPER_SPREAD = 12.0
MIN_PAPER_SHARE = 0.30
# How far below the paper peak still counts as paper, in units of its spread.
SPREAD_FACTOR = 2.5
PEAK_WINDOW = 40


def paper_white_point(grey: Image.Image) -> int | None:
    """The brightness from which on pixels are blank paper, or None for non-documents."""
    histogram = grey.histogram()
    total = sum(histogram)
    peak = max(range(MIN_PAPER_LEVEL, 256), key=histogram.__getitem__)
    if histogram[peak] == 0:
        return None
    # Spread of the paper peak from its upper half only: ink pulls the lower side.
    upper = range(peak, min(255, peak + PEAK_WINDOW) + 1)
    upper_count = sum(histogram[value] for value in upper)
    variance = sum(histogram[value] * (value - peak) ** 2 for value in upper) / upper_count
    spread = max(1.0, variance**0.5)
    if spread > MAX_PAPER_SPREAD:
        return None
    paper = range(max(0, round(peak - 3 * spread)), min(255, round(peak + 3 * spread)) + 1)
    if sum(histogram[value] for value in paper) < MIN_PAPER_SHARE * total:
        return None
    return max(MIN_PAPER_LEVEL, round(peak - SPREAD_FACTOR * spread))


def whiten_paper(image: Image.Image) -> Image.Image:
    """``image`` with blank paper made white (L or RGB in, same mode out)."""
    grey = image if image.mode == "L" else image.convert("L")
    white = paper_white_point(grey)
    if white is None:
        return image
    lut = [min(255, round(value * 255 / white)) for value in range(256)]
    return image.point(lut * len(image.getbands()))
