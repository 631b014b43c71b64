"""Fast paths of the export hot loop give what the general path gives, character for character."""

from __future__ import annotations

import html
import io
from decimal import Decimal

import nh3
import pytest
from lxml import etree

from exporters.google import NS, GoogleXml
from exporters.output import xml_text
from exporters.transforms import plain_text
from exporters.values import Price
from tests.exporters.helpers import resolved


def parsed_plain_text(text: str) -> str:
    """strip_html through the HTML parser every time."""
    if "<" in text or "&" in text:
        text = html.unescape(nh3.clean(text, tags=set()))
    return " ".join(text.split())


MARKUP = [
    "<p>Bright helmet — light.</p>",
    "<p>One</p><p>Two</p>",
    "<P>Upper</P ><br/>after<BR />",
    "<ul>\n<li>one</li>\r\n<li>two</li></ul>",
    "<b>bold <i>mis</b>nested</i> text",
    "a > b and <br>c",
    "<h2>Title</h2><div><span>x</span></div><sub>2</sub><sup>3</sup>",
    # not simple: left to the parser
    "a < b",
    "<p class='x'>attributes</p>",
    "<script>drop()</script>kept",
    "<style>p {}</style><table>t<tr><td>cell</td></tr></table>",
    "<!-- comment --><p>after</p>",
    "Fish &amp; chips&nbsp;<b>now</b>",
    "<p>nul\x00 and form feed\x0c</p>",
    "<p>unclosed",
    "<p",
    "<textarea><b>raw</b></textarea>",
]


@pytest.mark.parametrize("text", MARKUP)
def test_plain_text_is_what_the_html_parser_keeps(text: str) -> None:
    assert plain_text(text) == parsed_plain_text(text)


def lxml_text(text: str) -> bytes:
    out = io.BytesIO()
    with etree.xmlfile(out, encoding="utf-8") as xf, xf.element("a"):
        xf.write(text)
    return out.getvalue()[len(b"<a>"):-len(b"</a>")]


@pytest.mark.parametrize("text", ["plain", "a & b < c > d", "quotes \" and '", "cr\r\nlf\ttab",
                                  "é — 😀 \u00a0\u2028", "&amp; already", ""])
def test_xml_text_escapes_as_lxml_does(text: str) -> None:
    assert xml_text(text).encode("utf-8") == lxml_text(text)


@pytest.mark.parametrize("text", ["nul\x00", "bell\x07", "vt\x0b", "\ufffe", "\uffff"])
def test_xml_text_refuses_what_lxml_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        lxml_text(text)
    with pytest.raises(ValueError, match="XML compatible"):
        xml_text(text)


def test_google_items_are_the_bytes_lxml_writes() -> None:
    record = {"id": "A&B", "title": "<Tee> \"quoted\"", "price": Price(Decimal("9.5"), "EUR"),
              "additional_image_link": ["https://x.test/1?a=1&b=2", "https://x.test/2"]}
    out = io.BytesIO()
    writer = GoogleXml(out, "Feed & co", "https://shop.test")
    writer.write(record, resolved("A&B"))
    writer.close()

    expected = io.BytesIO()
    with etree.xmlfile(expected, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("rss", {"version": "2.0"}, nsmap={"g": NS}), xf.element("channel"):
            for tag, text in (("title", "Feed & co"), ("link", "https://shop.test"),
                              ("description", "Feed & co, published by Prism")):
                element = etree.Element(tag)
                element.text = text
                xf.write(element)
            with xf.element("item"):
                for tag, text in (("id", "A&B"), ("title", "<Tee> \"quoted\""),
                                  ("additional_image_link", "https://x.test/1?a=1&b=2"),
                                  ("additional_image_link", "https://x.test/2"),
                                  ("price", "9.50 EUR")):
                    with xf.element(f"{{{NS}}}{tag}"):
                        xf.write(text)
    assert out.getvalue() == expected.getvalue()
