"""Dates of a web page come from its own metadata, never its body or an infobox; retrieved is the save time."""

from __future__ import annotations

import pytest

from convert.readers.webpage import page_metadata
from tests.readers.test_webpage_meta import page

LD = '<script type="application/ld+json">{{"@type":"NewsArticle","headline":"H",{}}}</script>'


@pytest.mark.parametrize(
    ("head", "body", "published"),
    [
        (LD.format('"datePublished":"2020-02-03T10:00:00Z"'), "", "2020-02-03T10:00:00+00:00"),
        ('<meta property="article:published_time" content="2019-05-06">', "", "2019-05-06"),
        ('<meta name="DC.date.issued" content="2018-01-02">', "", "2018-01-02"),
        ('<meta name="dcterms.created" content="2018-03-04">', "", "2018-03-04"),
        ('<meta name="publishDate" content="2020-11-11 12:00:00.000-0600">', "", "2020-11-11T12:00:00-06:00"),
        ("", '<p class="byline">By Ana Ruiz - <time datetime="2015-04-16T20:02:01Z">Apr 16</time></p>', "2015-04-16"),
        ("", '<span itemprop="datePublished" content="2017-01-13">Jan. 13</span>', "2017-01-13"),
        (
            "",
            '<span class="posted-on"><time class="entry-date published" datetime="2019-08-07T10:00:00+00:00">'
            "August 7</time><time class='updated' datetime='2020-01-01T00:00:00+00:00'>…</time></span>",
            "2019-08-07",
        ),
        ("", '<header><h1>T</h1><time datetime="2021-02-03">3 Feb</time></header>', "2021-02-03"),
        # The date a byline writes after the name, in the page's language (here "en"); not a byline's vague time.
        ("", '<p class="byline__author">VON MORITZ GATHMANN on 21 April 2020</p>', "2020-04-21"),
        ("", '<p class="byline">By Ana Ruiz, updated 3 hours ago</p>', ""),
        # Dates that are not the page's own: an infobox microformat, a <time> in the text, body prose.
        (
            "",
            '<table class="infobox"><tr><th>Founded</th><td>February 28, 1998'
            '<span class="bday dtstart published updated">1998-02-28</span></td></tr></table>',
            "",
        ),
        ("", '<p>The law passed on <time datetime="2009-03-30">March 30, 2009</time>.</p>', ""),
        ("", "<p>Published March 25, 2015</p><p>On January 23, 1998, Netscape announced it.</p>", ""),
    ],
)
def test_published_only_from_the_pages_own_metadata(head: str, body: str, published: str) -> None:
    assert page_metadata(page(head, body)).published[: len(published) or None] == published


def test_modified_from_metadata() -> None:
    head = '<meta property="article:modified_time" content="2021-07-08T09:10:11+02:00">'
    assert page_metadata(page(head)).modified == "2021-07-08T09:10:11+02:00"


SINGLEFILE = (
    "<!--\n Page saved with SingleFile \n url: https://example.org/story \n"
    " saved date: Tue Jun 01 2021 23:30:00 GMT-0400 (Eastern Daylight Time)\n-->"
)


@pytest.mark.parametrize(
    ("prefix", "head", "retrieved", "url"),
    [
        (SINGLEFILE, "", "2021-06-01", "https://example.org/story"),
        (
            "",
            '<meta name="savepage-url" content="https://example.org/p"><meta name="savepage-date"'
            ' content="Mon Nov 02 2020 08:15:00 GMT+0100 (Central European Standard Time)">',
            "2020-11-02",
            "https://example.org/p",
        ),
        # A browser's "saved from" comment records where, not when.
        ("<!-- saved from url=(0025)https://example.org/saved -->", "", "", "https://example.org/saved"),
        ("", "", "", ""),
    ],
)
def test_retrieved_is_when_the_page_was_saved_where_recorded(prefix: str, head: str, retrieved: str, url: str) -> None:
    meta = page_metadata(prefix + page(head))
    assert (meta.retrieved, meta.source_url) == (retrieved, url)
