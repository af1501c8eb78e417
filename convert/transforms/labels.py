"""The words and dates every output adds around an article, in the article's own language.

Dates, lists of names and writing direction come from the CLDR through Babel; the few labels
Tearsheet prints itself ("Source", "Links", "By" …) from a small table. A language the table does
not have falls back to English for the labels only; Babel still formats its dates.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

    from convert.model import Document

DEFAULT_LANGUAGE = "en"

# {names} and {count} are filled in; "articles" is the plural form (CLDR "other"), "article" the singular.
LABELS: dict[str, dict[str, str]] = {
    "en": {"source": "Source", "links": "Links", "by": "By {names}", "untitled": "Untitled", "contents": "Contents",
           "image": "image", "cover": "Cover", "article": "{count} article", "articles": "{count} articles"},
    "de": {"source": "Quelle", "links": "Links", "by": "Von {names}", "untitled": "Ohne Titel", "contents": "Inhalt",
           "image": "Bild", "cover": "Titelbild", "article": "{count} Artikel", "articles": "{count} Artikel"},
    "fr": {"source": "Source", "links": "Liens", "by": "Par {names}", "untitled": "Sans titre",
           "contents": "Sommaire", "image": "image", "cover": "Couverture", "article": "{count} article",
           "articles": "{count} articles"},
    "es": {"source": "Fuente", "links": "Enlaces", "by": "Por {names}", "untitled": "Sin título",
           "contents": "Índice", "image": "imagen", "cover": "Portada", "article": "{count} artículo",
           "articles": "{count} artículos"},
    "it": {"source": "Fonte", "links": "Link", "by": "Di {names}", "untitled": "Senza titolo", "contents": "Indice",
           "image": "immagine", "cover": "Copertina", "article": "{count} articolo", "articles": "{count} articoli"},
    "pt": {"source": "Fonte", "links": "Links", "by": "Por {names}", "untitled": "Sem título", "contents": "Sumário",
           "image": "imagem", "cover": "Capa", "article": "{count} artigo", "articles": "{count} artigos"},
    "nl": {"source": "Bron", "links": "Links", "by": "Door {names}", "untitled": "Zonder titel", "contents": "Inhoud",
           "image": "afbeelding", "cover": "Omslag", "article": "{count} artikel", "articles": "{count} artikelen"},
    "ja": {"source": "出典", "links": "リンク", "by": "著者：{names}", "untitled": "無題", "contents": "目次",
           "image": "画像", "cover": "表紙", "article": "{count}件の記事", "articles": "{count}件の記事"},
    "zh": {"source": "来源", "links": "链接", "by": "作者：{names}", "untitled": "无标题", "contents": "目录",
           "image": "图片", "cover": "封面", "article": "{count}篇文章", "articles": "{count}篇文章"},
    "ar": {"source": "المصدر", "links": "الروابط", "by": "بقلم {names}", "untitled": "بلا عنوان",
           "contents": "المحتويات", "image": "صورة", "cover": "الغلاف", "article": "مقال واحد",
           "articles": "{count} مقالات"},
}  # fmt: skip


def language_of(doc: Document) -> str:
    """The document's BCP 47 language; never a locale such as ``C``."""
    lang = doc.meta.language.replace("_", "-").split(".")[0]
    return lang if lang and lang.upper() not in ("C", "POSIX") else DEFAULT_LANGUAGE


def direction_of(doc: Document) -> str:
    """``rtl`` or ``ltr`` as the document states it, else as its language is written; "" when unknown."""
    if doc.meta.direction:
        return doc.meta.direction
    locale = _locale(language_of(doc))
    return "rtl" if locale is not None and locale.character_order == "right-to-left" else ""


def label(key: str, language: str, **fields: object) -> str:
    """Tearsheet's own word for ``key`` in ``language`` (its base language, else English)."""
    table = LABELS.get(language.split("-")[0].lower(), LABELS[DEFAULT_LANGUAGE])
    return table[key].format(**fields)


def count_label(count: int, language: str) -> str:
    """``1 article``, ``2 Artikel``, ``3 مقالات``."""
    return label("article" if count == 1 else "articles", language, count=count)


def local_date(iso: str, language: str) -> str:
    """``2023-11-02`` as the language writes it in full (``November 2, 2023``, ``2. November 2023``);
    other text unchanged."""
    from babel.dates import format_date

    try:
        day = dt.date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return format_date(day, "long", locale=_locale(language) or DEFAULT_LANGUAGE)


def join_names(names: list[str], language: str = DEFAULT_LANGUAGE) -> str:
    """``A, B, and C`` / ``A, B und C`` / ``A وB وC``."""
    from babel.lists import format_list

    return format_list(names, locale=_locale(language) or DEFAULT_LANGUAGE) if names else ""


@lru_cache(maxsize=64)
def _locale(language: str) -> Locale | None:
    from babel import Locale, UnknownLocaleError

    for candidate in (language.replace("-", "_"), language.split("-")[0]):
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
    return None
