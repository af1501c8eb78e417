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

# {names} and {count} are filled in; "article" is the singular (CLDR "one"), "articles" every other
# count, unless the language has a form of its own for it ("articles-few", "articles-many": Polish).
LABELS: dict[str, dict[str, str]] = {
    "en": {"source": "Source", "links": "Links", "by": "By {names}", "untitled": "Untitled", "contents": "Contents",
           "image": "image", "cover": "Cover", "article": "{count} article", "articles": "{count} articles",
           "abstract": "Abstract"},
    "de": {"source": "Quelle", "links": "Links", "by": "Von {names}", "untitled": "Ohne Titel", "contents": "Inhalt",
           "image": "Bild", "cover": "Titelbild", "article": "{count} Artikel", "articles": "{count} Artikel",
           "abstract": "Zusammenfassung"},
    "fr": {"source": "Source", "links": "Liens", "by": "Par {names}", "untitled": "Sans titre",
           "contents": "Sommaire", "image": "image", "cover": "Couverture", "article": "{count} article",
           "articles": "{count} articles",
           "abstract": "Résumé"},
    "es": {"source": "Fuente", "links": "Enlaces", "by": "Por {names}", "untitled": "Sin título",
           "contents": "Índice", "image": "imagen", "cover": "Portada", "article": "{count} artículo",
           "articles": "{count} artículos",
           "abstract": "Resumen"},
    "it": {"source": "Fonte", "links": "Link", "by": "Di {names}", "untitled": "Senza titolo", "contents": "Indice",
           "image": "immagine", "cover": "Copertina", "article": "{count} articolo", "articles": "{count} articoli",
           "abstract": "Sommario"},
    "pt": {"source": "Fonte", "links": "Links", "by": "Por {names}", "untitled": "Sem título", "contents": "Sumário",
           "image": "imagem", "cover": "Capa", "article": "{count} artigo", "articles": "{count} artigos",
           "abstract": "Resumo"},
    "nl": {"source": "Bron", "links": "Links", "by": "Door {names}", "untitled": "Zonder titel", "contents": "Inhoud",
           "image": "afbeelding", "cover": "Omslag", "article": "{count} artikel", "articles": "{count} artikelen",
           "abstract": "Samenvatting"},
    "ja": {"source": "出典", "links": "リンク", "by": "著者：{names}", "untitled": "無題", "contents": "目次",
           "image": "画像", "cover": "表紙", "article": "{count}件の記事", "articles": "{count}件の記事",
           "abstract": "概要"},
    "zh": {"source": "来源", "links": "链接", "by": "作者：{names}", "untitled": "无标题", "contents": "目录",
           "image": "图片", "cover": "封面", "article": "{count}篇文章", "articles": "{count}篇文章",
           "abstract": "摘要"},
    "ar": {"source": "المصدر", "links": "الروابط", "by": "بقلم {names}", "untitled": "بلا عنوان",
           "contents": "المحتويات", "image": "صورة", "cover": "الغلاف", "article": "مقال واحد",
           "articles": "{count} مقالات",
           "abstract": "ملخص"},
    "pl": {"source": "Źródło", "links": "Linki", "by": "Autor: {names}", "untitled": "Bez tytułu",
           "contents": "Spis treści", "image": "obraz", "cover": "Okładka", "article": "{count} artykuł",
           "articles": "{count} artykułu", "articles-few": "{count} artykuły", "articles-many": "{count} artykułów",
           "abstract": "Streszczenie"},
    "fi": {"source": "Lähde", "links": "Linkit", "by": "Kirjoittanut {names}", "untitled": "Nimetön",
           "contents": "Sisällys", "image": "kuva", "cover": "Kansi", "article": "{count} artikkeli",
           "articles": "{count} artikkelia", "abstract": "Tiivistelmä"},
    "sv": {"source": "Källa", "links": "Länkar", "by": "Av {names}", "untitled": "Utan titel", "contents": "Innehåll",
           "image": "bild", "cover": "Omslag", "article": "{count} artikel", "articles": "{count} artiklar",
           "abstract": "Sammanfattning"},
}  # fmt: skip

# The EPUB's schema:accessibilitySummary, sentence by sentence ({shown}: images shown, {missing}: without
# a text alternative). Counts stand alone ("3 of 5") so that no language needs plural rules here.
SUMMARY_LABELS: dict[str, dict[str, str]] = {
    "en": {"text": "Reflowable text with headings in order.",
           "text-toc": "Reflowable text with headings in order and a table of contents.",
           "no-images": "It has no images.", "described": "Every image ({shown}) has a text alternative.",
           "undescribed": "Images without a text alternative in the source: {missing} of {shown}; the book does"
                          " not claim WCAG conformance.",
           "may-flash": "Animated images may flash.", "no-hazards": "No flashing, sound or motion hazards.",
           "contrast": "Links are underlined; text contrast meets WCAG 2.1 AA."},
    "de": {"text": "Umbrechbarer Text mit Überschriften in richtiger Reihenfolge.",
           "text-toc": "Umbrechbarer Text mit Überschriften in richtiger Reihenfolge und einem Inhaltsverzeichnis.",
           "no-images": "Das Buch enthält keine Bilder.", "described": "Jedes Bild ({shown}) hat einen Alternativtext.",
           "undescribed": "Bilder ohne Alternativtext in der Quelle: {missing} von {shown}; das Buch beansprucht"
                          " keine WCAG-Konformität.",
           "may-flash": "Animierte Bilder können blinken.",
           "no-hazards": "Keine Gefahren durch Blinken, Ton oder Bewegung.",
           "contrast": "Links sind unterstrichen; der Textkontrast erfüllt WCAG 2.1 AA."},
    "fr": {"text": "Texte recomposable, titres dans l'ordre.",
           "text-toc": "Texte recomposable, titres dans l'ordre et table des matières.",
           "no-images": "Le livre ne contient aucune image.",
           "described": "Chaque image ({shown}) a une alternative textuelle.",
           "undescribed": "Images sans alternative textuelle dans la source : {missing} sur {shown} ; le livre ne"
                          " revendique pas la conformité WCAG.",
           "may-flash": "Des images animées peuvent clignoter.",
           "no-hazards": "Aucun danger de clignotement, de son ou de mouvement.",
           "contrast": "Les liens sont soulignés ; le contraste du texte respecte WCAG 2.1 AA."},
    "es": {"text": "Texto adaptable con los encabezados en orden.",
           "text-toc": "Texto adaptable con los encabezados en orden y una tabla de contenidos.",
           "no-images": "No contiene imágenes.", "described": "Cada imagen ({shown}) tiene un texto alternativo.",
           "undescribed": "Imágenes sin texto alternativo en el original: {missing} de {shown}; el libro no declara"
                          " conformidad con WCAG.",
           "may-flash": "Las imágenes animadas pueden parpadear.",
           "no-hazards": "Sin riesgos de destellos, sonido o movimiento.",
           "contrast": "Los enlaces están subrayados; el contraste del texto cumple WCAG 2.1 AA."},
    "it": {"text": "Testo adattabile con i titoli in ordine.",
           "text-toc": "Testo adattabile con i titoli in ordine e un indice.",
           "no-images": "Non contiene immagini.", "described": "Ogni immagine ({shown}) ha un testo alternativo.",
           "undescribed": "Immagini senza testo alternativo nell'originale: {missing} su {shown}; il libro non"
                          " dichiara la conformità WCAG.",
           "may-flash": "Le immagini animate possono lampeggiare.",
           "no-hazards": "Nessun rischio di lampeggiamenti, suoni o movimento.",
           "contrast": "I link sono sottolineati; il contrasto del testo soddisfa WCAG 2.1 AA."},
    "pt": {"text": "Texto refluível com os títulos em ordem.",
           "text-toc": "Texto refluível com os títulos em ordem e um sumário.",
           "no-images": "Não contém imagens.", "described": "Cada imagem ({shown}) tem um texto alternativo.",
           "undescribed": "Imagens sem texto alternativo no original: {missing} de {shown}; o livro não declara"
                          " conformidade com as WCAG.",
           "may-flash": "Imagens animadas podem piscar.", "no-hazards": "Sem riscos de flashes, som ou movimento.",
           "contrast": "Os links são sublinhados; o contraste do texto cumpre as WCAG 2.1 AA."},
    "nl": {"text": "Herschikbare tekst met koppen in volgorde.",
           "text-toc": "Herschikbare tekst met koppen in volgorde en een inhoudsopgave.",
           "no-images": "Het boek bevat geen afbeeldingen.",
           "described": "Elke afbeelding ({shown}) heeft een tekstalternatief.",
           "undescribed": "Afbeeldingen zonder tekstalternatief in de bron: {missing} van {shown}; het boek claimt"
                          " geen WCAG-conformiteit.",
           "may-flash": "Geanimeerde afbeeldingen kunnen knipperen.",
           "no-hazards": "Geen risico's door knipperen, geluid of beweging.",
           "contrast": "Links zijn onderstreept; het tekstcontrast voldoet aan WCAG 2.1 AA."},
    "ja": {"text": "リフロー型のテキストで、見出しは順序どおりです。",
           "text-toc": "リフロー型のテキストで、見出しは順序どおり、目次があります。",
           "no-images": "画像はありません。", "described": "すべての画像（{shown}点）に代替テキストがあります。",
           "undescribed": "元の文書で代替テキストのない画像：{shown}点中{missing}点。"
                          "このため本書はWCAG適合を表明しません。",
           "may-flash": "アニメーション画像が点滅することがあります。",
           "no-hazards": "点滅、音声、動きによる危険はありません。",
           "contrast": "リンクには下線があり、文字のコントラストはWCAG 2.1 AAを満たしています。"},
    "zh": {"text": "可重排文本，标题顺序正确。", "text-toc": "可重排文本，标题顺序正确，并有目录。",
           "no-images": "本书不含图片。", "described": "每张图片（共{shown}张）都有替代文本。",
           "undescribed": "原文中没有替代文本的图片：{shown}张中的{missing}张；因此本书不声明符合WCAG。",
           "may-flash": "动画图片可能闪烁。", "no-hazards": "无闪烁、声音或动态危险。",
           "contrast": "链接带下划线；文本对比度符合WCAG 2.1 AA。"},
    "ar": {"text": "نص قابل لإعادة التدفق، عناوينه مرتبة.",
           "text-toc": "نص قابل لإعادة التدفق، عناوينه مرتبة، وله فهرس محتويات.",
           "no-images": "لا يحتوي الكتاب على صور.", "described": "لكل صورة ({shown}) نص بديل.",
           "undescribed": "صور بلا نص بديل في المصدر: {missing} من {shown}؛ لذلك لا يدّعي الكتاب التوافق مع WCAG.",
           "may-flash": "قد تومض الصور المتحركة.", "no-hazards": "لا مخاطر من الوميض أو الصوت أو الحركة.",
           "contrast": "الروابط مسطّرة، وتباين النص يفي بمعيار WCAG 2.1 AA."},
    "pl": {"text": "Tekst o zmiennym układzie, z nagłówkami we właściwej kolejności.",
           "text-toc": "Tekst o zmiennym układzie, z nagłówkami we właściwej kolejności i spisem treści.",
           "no-images": "Książka nie zawiera obrazów.", "described": "Każdy obraz ({shown}) ma tekst alternatywny.",
           "undescribed": "Obrazy bez tekstu alternatywnego w źródle: {missing} z {shown}; książka nie deklaruje"
                          " zgodności z WCAG.",
           "may-flash": "Animowane obrazy mogą migać.",
           "no-hazards": "Brak zagrożeń związanych z miganiem, dźwiękiem lub ruchem.",
           "contrast": "Linki są podkreślone; kontrast tekstu spełnia WCAG 2.1 AA."},
    "fi": {"text": "Mukautuva teksti, otsikot oikeassa järjestyksessä.",
           "text-toc": "Mukautuva teksti, otsikot oikeassa järjestyksessä ja sisällysluettelo.",
           "no-images": "Kirjassa ei ole kuvia.", "described": "Jokaisella kuvalla ({shown}) on tekstivastine.",
           "undescribed": "Kuvia ilman tekstivastinetta lähteessä: {missing}/{shown}; kirja ei ilmoita olevansa"
                          " WCAG-yhteensopiva.",
           "may-flash": "Animoidut kuvat voivat vilkkua.",
           "no-hazards": "Ei vilkkumisen, äänen tai liikkeen aiheuttamia vaaroja.",
           "contrast": "Linkit on alleviivattu; tekstin kontrasti täyttää WCAG 2.1 AA -vaatimukset."},
    "sv": {"text": "Omflödbar text med rubriker i rätt ordning.",
           "text-toc": "Omflödbar text med rubriker i rätt ordning och en innehållsförteckning.",
           "no-images": "Boken innehåller inga bilder.", "described": "Varje bild ({shown}) har ett textalternativ.",
           "undescribed": "Bilder utan textalternativ i källan: {missing} av {shown}; boken gör inte anspråk på"
                          " WCAG-överensstämmelse.",
           "may-flash": "Animerade bilder kan blinka.",
           "no-hazards": "Inga risker från blinkande ljus, ljud eller rörelse.",
           "contrast": "Länkar är understrukna; textkontrasten uppfyller WCAG 2.1 AA."},
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
    return _in(LABELS, language)[key].format(**fields)


def summary_sentence(key: str, language: str, **fields: object) -> str:
    """A sentence of the EPUB's accessibility summary (``SUMMARY_LABELS``) in ``language``, else English."""
    return _in(SUMMARY_LABELS, language)[key].format(**fields)


def summary_language(language: str) -> str:
    """The language ``summary_sentence`` writes in for ``language``."""
    base = language.split("-")[0].lower()
    return language if base in SUMMARY_LABELS else DEFAULT_LANGUAGE


def _in(tables: dict[str, dict[str, str]], language: str) -> dict[str, str]:
    return tables.get(language.split("-")[0].lower(), tables[DEFAULT_LANGUAGE])


def count_label(count: int, language: str) -> str:
    """``1 article``, ``2 Artikel``, ``3 مقالات``, ``2 artykuły``, ``5 artykułów``: the CLDR plural form."""
    locale = _locale(language)
    form = locale.plural_form(count) if locale is not None else ("one" if count == 1 else "other")
    words = _in(LABELS, language)
    key = "article" if form == "one" else f"articles-{form}" if f"articles-{form}" in words else "articles"
    return words[key].format(count=count)


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
