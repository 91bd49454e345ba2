"""Paper-white clean-up: grain goes, ink and photos stay."""

from __future__ import annotations

from PIL import Image, ImageDraw

from app.scanning.cleanup import paper_white_point, whiten_paper


def _scanned_text_page() -> Image.Image:
    page = Image.effect_noise((400, 560), 5).point(lambda value: value + 107)  # paper ~235
    ImageDraw.Draw(page).rectangle((50, 50, 350, 80), fill=30)  # a line of ink
    return page


def test_paper_grain_turns_white_and_ink_stays_dark():
    page = _scanned_text_page()
    cleaned = whiten_paper(page)
    histogram = cleaned.histogram()
    assert histogram[255] / sum(histogram) > 0.9
    assert cleaned.getpixel((100, 60)) < 40


def test_colour_pages_keep_their_colour():
    page = _scanned_text_page().convert("RGB")
    ImageDraw.Draw(page).ellipse((200, 300, 300, 400), outline=(200, 30, 30), width=8)
    cleaned = whiten_paper(page)
    red, green, blue = cleaned.getpixel((250, 304))
    assert red > 200 and green < 60 and blue < 60


def test_a_dark_photo_is_left_alone():
    photo = Image.linear_gradient("L").resize((300, 300))  # tones everywhere, no paper
    assert paper_white_point(photo) is None
    assert whiten_paper(photo) is photo
