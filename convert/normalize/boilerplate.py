"""Named boilerplate rules: share, follow, membership, newsletter, cookie, disclaimer… prompts."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from convert.model import (
    CREDIT_CLASS,
    Block,
    BulletList,
    Div,
    Document,
    Figure,
    Heading,
    Image,
    Inline,
    Link,
    OrderedList,
    Paragraph,
    Plain,
    Removal,
    Span,
    Text,
    inline_text,
    iter_nodes,
    rewrite,
)
from convert.normalize.byline import BYLINE_RULE, DATELINE_RULE, parse_byline, parse_dateline
from convert.normalize.context import Context, Rule, rule
from convert.normalize.util import HEAD_BLOCKS, block_text

# The buttons of a print or share row, named in the languages of the pages most read.
_WIDGET = (
    r"(?:zum rezept|jump to recipe|print(?:er)?[- ]friendly|print|drucken|pdf|e-?mail|pinnen|pin it|merken|"
    r"teilen|share|tweet|whatsapp|facebook|twitter|pinterest|imprimir|imprimer|compartir|partager|stampa)"
)
_NUMERIC_DATE = r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\.\d{1,2}\.\d{2,4}|\d{1,2}/\d{1,2}/\d{2,4})"
CONTACT_RULE = "contact-block"
TEASER_RULE = "teaser-link"
# Picture libraries, as credits name them; a news agency is a picture's only beside its photographer
# ("dpa / Kay Nietfeld"): "(dpa)" alone after a paragraph names the source of the text.
_STOCK = (
    r"(?:istock(?:photo)?(?:\.com)?|getty ?images|shutterstock(?:\.com)?|adobe ?stock|stock\.adobe\.com|fotolia|"
    r"unsplash|pixabay|pexels|imago(?: images)?|picture[- ]alliance|wenn(?:\.com)?|depositphotos|123rf|colourbox|"
    r"dreamstime|alamy)"
)
_AGENCY = r"(?:dpa|afp|reuters|epa|keystone|ap|ddp|kna|epd)"
# Each rule matches a whole short block; patterns are anchored or phrased so
# that an article merely mentioning cookies or newsletters is left alone.
RULES: tuple[Rule, ...] = (
    rule(
        "share-prompt",
        r"\bclick (?:on )?the share buttons?\b",
        r"^(?:please )?share (?:this|on|via|with)\b.{0,60}$",
        r"^(?:share|tweet|email|print)(?: this(?: article| story| page)?)?[.:!]?$",
        # A row of widget buttons whose icons were pictures: "Zum Rezept Drucken Pinnen",
        # "[Printer Friendly, PDF & Email]", "› Drucken".
        rf"^\W*(?:{_WIDGET}\W*){{2,6}}$",
        r"^\W*(?:drucken|pinnen|merken|teilen|imprimir|imprimer|compartir|partager|stampa|condividi)\W*$",
        # A blog's like widget: "%d Bloggern gefällt das:", "Like this: Like Loading...".
        r"^(?:%d|\d+) (?:bloggers? like this|bloggern gefällt das|blogueurs aiment cette page|"
        r"blogueros les gusta esto)\W*$",
        r"^(?:like this:?\s*)?like loading\W*$|^gefällt mir:?\s*gefällt mir wird geladen\W*$",
    ),
    rule(
        "social-prompt",
        r"^comment on\b.{0,80}\b(?:facebook|twitter|instagram|linkedin)\b.{0,20}$",
        r"^(?:follow|like|join|find) us on\b.{0,80}$",
        # The site by name ("Follow The Gleaner on Twitter …"), its channel, its app.
        r"^follow (?:\S+ ){1,4}on (?:twitter|facebook|instagram|linkedin|youtube|tiktok)\b.{0,300}$",
        r"^(?:folg(?:e|t)|sigue|suivez)(?:[- ](?:uns|mir|nos|nous))?(?: gerne| auch)? "
        r"(?:auf|bei|en|sur) (?:twitter|facebook|instagram|linkedin|youtube|tiktok)\b.{0,120}$",
        r"^[¡!]?(?:mira|visita|suscr[ií]bete a|check out|visit|subscribe to|besuche|abonniere)\b.{0,40}"
        r"\b(?:canal de youtube|youtube channel|youtube-kanal)\b.{0,20}$",
        r"\bdownload (?:the|our) (?:\S+ ){0,3}apps?\b.{0,30}\b(?:ios|android|app store|google play)\b.{0,20}$",
        max_chars=400,
    ),
    rule(
        "membership-prompt",
        r"^become an? (?:member|patron|supporter|subscriber|donor)\b.{0,100}$",
        r"^(?:support|donate to|fund) (?:us|our work|independent journalism|this site)\b.{0,150}$",
        r"^(?:hazte|h[aá]gase) (?:miembro|socio|suscriptor|mecenas)\b.{0,80}$",
        r"^(?:jetzt )?(?:unterstütze|unterstützen sie) (?:uns|unsere arbeit|unabhängigen journalismus)\b.{0,100}$",
        r"^(?:jetzt )?(?:unterstütze|unterstützen sie) \S+(?: \S+)? (?:bereits |schon )?(?:ab|mit) "
        r"[\d,.]+ ?(?:€|euro)?\W{0,3}$",
        # The site's appeal for money, in a paragraph of its own: asked in the first person
        # ("apóyanos", "Wesprzyj nas darowizną", "keine Bezahlschranke … deine Unterstützung").
        r"\b(?:apóyanos|apoya (?:el|nuestro) periodismo|hazte miembro|wesprzyj nas|soutenez-nous|sostienici|"
        r"support (?:our|independent) (?:journalism|reporting)|zahl[’‘'`]? ich freiwillig|"
        r"(?:unterstütze|unterstützen sie) uns \(?(?:monatlich|einmalig|finanziell|mit einer spende))\b",
        r"\b(?:cancela|cancel) (?:cuando quieras|(?:at )?any ?time)\b.{0,120}$",
        r"\b(?:wir|unser\w*)\b.{0,120}\b(?:keine|ohne|nicht hinter einer) bezahlschranke\b",
        r"\b(?:brauchen wir (?:deine|ihre|eure) unterstützung|unterstütze unser (?:magazin|blog|projekt|arbeit))\b",
        max_chars=600,
    ),
    rule(
        "newsletter-prompt",
        r"\b(?:sign(?:ing)? up|subscrib(?:e|ing)|register(?:ing)?) (?:for|to) (?:our|the|a) "
        r"(?:\w+ ){0,4}newsletters?\b",
        r"^(?:jetzt )?(?:(?:zum|für den|unseren) )?newsletter (?:anmelden|abonnieren|bestellen)[.!]?$",
        r"^(?:subscribe|sign up)(?: now| today| here)?[.!]?$",
        r"^subscribe (?:now |today )?to (?:our|the) .{1,60}\b(?:edition|e-?paper|magazine|newspaper)\b.{0,40}$",
        r"\bget (?:our|the) (?:\w+ ){0,4}newsletter\b.{0,80}$",
    ),
    rule(
        "cookie-notice",
        r"^(?:this (?:web)?site|we) uses? cookies\b",
        r"^by (?:continuing|using this (?:web)?site),? you (?:agree|accept|consent)\b",
    ),
    rule(
        "disclaimer",
        r"^disclaimer\s*:",
        r"\bare (?:of )?(?:the )?sole responsibility of the author",
        r"^\(?(?:alle )?angaben ohne gewähr\)?\.?$",
        max_chars=1200,
    ),
    rule(
        "fair-use-notice",
        r"copyrighted material the use of which has not always been",
        r"\bunder the provisions of [\"“']?fair use\b",
        max_chars=1200,
    ),
    rule("contact-line", r"^for (?:media|press) (?:inquiries|enquiries)\b"),
    # The heading of a press release's contact box; it takes the contact's lines under it along.
    rule(
        CONTACT_RULE,
        r"^(?:presse?kontakte?|medienkontakte?|kontakt für (?:die )?(?:presse|medien)|"
        r"ansprechpartner(?:in|innen|\*in)?(?: für (?:die )?(?:presse|medien))?(?: zum thema)?|"
        r"press contacts?|media contacts?|contacto de prensa|contact presse)\s*:?$",
    ),
    # The banner of a page saved by the Wayback Machine, read as text.
    rule(
        "archive-banner",
        r"^starting in 1996, alexa internet has been donating their crawl data to the internet archive\b",
        r"^(?:collection|organization)\s*:\s*alexa crawls$",
        r"^the wayback machine - https?://\S+$",
        max_chars=300,
    ),
    rule("author-archive-link", r"^(?:more )?(?:articles|posts|stories) by\s*:"),
    rule(
        "advertisement",
        r"^(?:advertisement|advertising|sponsored(?: content)?|ad)$",
        # A line the page labels an advertisement, or an advertiser's disclosure: "ANZEIGE - Heute
        # mal ausgehen?", "*Werbung. Dieser Beitrag enthält Werbung für X.", "Advertise with …".
        r"^\*?(?:anzeige|werbung|advertisement|publicidad|anuncio|reklama|pubblicità)\s*[-–—:|.*]\s*.{0,120}$",
        r"^advertise with (?:us|the|our)\b.{0,300}$",
        max_chars=400,
    ),
    # An invitation to rate the recipe or the article: "Rezept bewerten:", "Rate this recipe".
    rule(
        "rating-prompt",
        r"^(?:(?:dieses |das )?(?:rezept|artikel|beitrag) bewerten|bewerte(?:n sie)? (?:dieses|das|den) "
        r"(?:rezept|artikel|beitrag)|rate this (?:recipe|article|post|story)|(?:valora|califica) (?:esta receta|"
        r"este art[ií]culo)|notez? cette recette|jetzt bewerten)\b\W{0,3}(?:\d[\d.,/ ]*\W{0,3})?$",
    ),
    # A notice that the page is copyrighted and may not be reprinted, after the article.
    rule(
        "reprint-notice",
        r"\bis the copyrighted property of\b",
        r"\bwritten permission must be obtained before (?:reprint|republish)",
        r"\bmay not be (?:re)?published, broadcast, rewritten,? or redistributed\b",
        max_chars=600,
    ),
    # A line of the page's metadata left in the body: "Aktualisiert am 17.01.2021.", "page.html -
    # Created 03-10-2004 2:20pm - Last Modified: 03-10-2004 2:20pm".
    rule(
        "updated-line",
        r"^(?:\S+ - )?(?:created:? [\d./-]+(?: [\d:]+ ?(?:[ap]m)?)? - )?(?:last (?:modified|updated|changed)|"
        r"updated|aktualisiert|zuletzt (?:aktualisiert|geändert)|letzte änderung|geändert|actualizado|"
        r"mis à jour|aggiornato)(?: (?:am|on|el|le|il))?\s*:?\s*(?=[^\d]{0,12}\d)[\w.,: /-]{4,40}$",
        max_chars=120,
    ),
    rule(
        "related-links",
        r"^(?:related|related (?:articles|stories|posts|reading|content)|read more|more on this(?: story)?|"
        r"recommended(?: for you)?|you may also like|see also)\s*:?$",
        # The same heading in the languages of the pages most read: "Contenido relacionado",
        # "Weitere Beiträge aus der Kolumne:", "Más sobre …", "Meistdiskutiert".
        r"^(?:(?:contenidos?|art[ií]culos?|noticias?|notas?) relacionad[oa]s?|art[ií]gos relacionados|"
        r"articoli correlati|"
        r"articles? (?:similaires|connexes|li[ée]s)|verwandte artikel|ähnliche artikel|related (?:links|news)|"
        r"(?:weitere|mehr|andere) (?:aktuelle )?(?:beiträge|artikel|themen|nachrichten|meldungen)"
        r"(?: (?:aus|zu|zum|zur|von|über|in) .{1,50})?|más sobre .{1,40}|"
        r"meist[- ]?(?:diskutiert|kommentiert|geklickt)e?)"
        r"\s*:?$",
        # The same prompt in the languages of the pages most read, alone or before the headline it
        # links to ("Lesen Sie auch: …", "VEA TAMBIÉN: …", "Leggi anche: …", "Lue aiheesta lisää:"):
        # a pointer to another article, not text.
        r"^(?:read (?:also|next)|also read|auch lesen|(?:zum )?weiterlesen|"
        r"most (?:read|popular)(?: articles| stories)?|meist ?gelesene?(?: artikel)?|(?:les )?plus lus|lo más leído|"
        r"(?:lesen sie|lies) (?:auch|mehr|weiter)(?: die folgenden (?:beiträge|artikel))?|"
        r"mehr (?:zum thema|themen|dazu)|empfohlene (?:beiträge|artikel)|das könnte (?:sie|dich) auch interessieren|"
        r"(?:à )?lire aussi|voir aussi|(?:le|te) puede interesar|(?:lea|vea|mir[aá]|ver|lee) también|"
        # Spanish pointers before another article's headline ("Lea más: …", "MIRA: …", "PUEDES VER: …").
        r"(?:lea|lee) más|puedes ver|(?:lea|mira)(?=\s*:)|"
        r"(?:leia|veja) também|czytaj (?:też|także|więcej)|zobacz (?:też|także)|dowiedz się więcej|"
        r"leggi (?:anche|pure)|vedi anche|lees (?:ook|meer)|lue (?:myös|lisää|aiheesta lisää)|läs (?:också|mer)|"
        r"l[eæ]s også)"
        r"\s*(?::\s*.{0,160})?$",
        # Another article's headline set between arrows: ">> Wegen Corona: Lokal schließt <<".
        r"^>>\s*[^<>]{5,160}\s*<<$",
    ),
    rule(
        "comments",
        r"^(?:\d+ )?(?:comments?|kommentare?|commentaires?|comentarios?)$",
        r"^(?:leave|post|add|write|show|view|read|load)(?: an?| your| all)? (?:comments?|reply)\b.{0,60}$",
        r"^comments?\s*\(\d*\+?\)$",
        r"^(?:please )?(?:log ?in|sign in|register)\b.{0,30}\bto (?:leave|post|add|write) an? "
        r"(?:comment|reply)\b.{0,20}$",
        r"^(?:kommentar|kommentare) (?:schreiben|verfassen|anzeigen)\b",
    ),
    # The link under another article's teaser: "Leer más", "Mehr lesen...", "Lire la suite ›" (what
    # follows it is the article again, not a list to take along).
    rule(
        TEASER_RULE,
        r"^(?:leer más|ver más|seguir leyendo|mehr lesen|weiter ?lesen|lire la suite|continue reading|"
        r"czytaj (?:dalej|więcej)|leggi (?:tutto|di più)|lees verder)\s*(?:\.{2,}|…|[»›→>]+)?$",
    ),
    # "less" / "... more" under a caption whose full text the page shows on a click.
    rule("caption-toggle", r"^(?:\.{2,}|…)?\s*(?:(?:show|see|read) )?(?:less|more)$"),
    # A credit alone on its line: "Photo: Jane Doe/Agency", "(Image by X)", "Foto: dpa".
    rule(
        "photo-credit",
        r"^\(?(?:photo(?:graph)?s?|image|picture|illustration|credit|foto|fotos|bild|bilder|cr[ée]dits? photos?|"
        r"cr[ée]dito|fotograf[ií]a|imagen|bildquelle|fotoquelle|titelbild|quelle)(?: credits?)?"
        r"\s*(?::|©|by\b)\s*(?:[^.!?]|\.(?=\S)){1,80}[.)]?$",  # a dot inside a name: "Foto: www.k-einbruch.de"
        r"^\|\s*©\s*[^.!?]{1,80}$",  # "| © Agency / Photographer", a caption's second line
        # A photographer and a picture agency or stock library: "Judy Eddy/WENN.com",
        # "© iStock.com/mlharing", "dpa / Kay Nietfeld".
        rf"^\(?(?:©\s*)?(?:[^.!?©/()]{{1,50}}/\s*)?{_STOCK}(?:\s*/\s*[^.!?©/()]{{1,50}})?\)?$",
        rf"^\(?(?:©\s*)?[^.!?©/()]{{1,50}}/\s*{_AGENCY}\)?$|^\(?(?:©\s*)?{_AGENCY}\s*/\s*[^.!?©/()]{{1,50}}\)?$",
        max_chars=120,
    ),
    rule(
        "gallery",
        r"^(?:photo |image |picture |video )?(?:gallery|galleries|slideshow)$",
        r"^(?:bildergalerie|fotogalerie|galerie|fotostrecke)$",
        r"^(?:view|open|see|start|launch) (?:the )?(?:photo |image )?(?:gallery|slideshow)\b.{0,40}$",
        r"^(?:image |photo |bild |foto )?\d+\s*(?:/|of|von|de|sur)\s*\d+$",
    ),
    rule(
        "tag-block",
        r"^(?:related |popular )?(?:tags|topics|keywords|schlagwörter|stichwörter|themen)\s*:?$",
        r"^(?:schlagworte(?: zum thema)?|temas|etiquetas|mots-clés|tagi|tematy)\s*:?$",
    ),
    # The article's place on the site, a line of the page's header that trafilatura keeps as
    # text ("From the section US & Canada").
    rule(
        "section-label",
        r"^(?:more )?from the (?:section|category|desk)\s+[^.,;:!?]{1,40}$",
        r"^(?:(?:news |post )?date\s*:\s*[\d/.-]{6,10}\s+)?"
        r"(?:section|category|rubrik|rubrique|ressort|secci[oó]n|categor[ií]a|kategorie)\s*:\s*.{1,60}$",
        # A post's date and category on a line of their own: "2021-10-16 | Botschaft".
        rf"^{_NUMERIC_DATE}\s*\|\s*[^|.!?\d]{{2,40}}$",
    ),
    rule(
        "breadcrumb",
        r"^(?:you are (?:at|here)|sie sind hier|vous êtes ici|usted está en|estás en)\s*:",
        r"^(?:home|startseite|start|accueil|inicio)\s*(?:[>»›/|]\s*[^>»›|.!?]{1,60}){1,6}$",
    ),
)
# The lines of a contact: short, or with a telephone number or an e-mail address.
_CONTACT_WORDS = 25
_CONTACT_NAME_WORDS = 6
_CONTACT_DETAIL = re.compile(
    r"\b(?:tel|telefon|phone|fax|e-?mail|mobil|mobile)\b|@|\+?\d[\d /().-]{6,}\d"
    r"|\b\d{4,5} (?-i:[A-ZÄÖÜ][a-zäöüß]+)\b",  # a postcode and its town: "10119 Berlin"
    re.IGNORECASE,
)
# Rules whose heading takes the list of links, or the run of link-only teasers, under it along.
_TAKES_LIST = frozenset({"related-links", "tag-block"})
EMPTY_HEADING_RULE = "empty-heading"
SEPARATOR_LIST_RULE = "separator-list"
CREDIT_RULE = "photo-credit"
# A list of the page's header lines is short, and so is each of its lines.
_HEAD_LIST_ITEMS = 6
_HEAD_LIST_WORDS = 10
# Longer, a "heading" is a lede or a summary set in a heading's type: text, not a title over nothing.
_HEADING_WORDS = 15


def strip_boilerplate(doc: Document, ctx: Context) -> Document:
    """Drop share/subscribe/navigation blocks left by web pages; each removal names its rule."""
    rules = () if ctx.keep_boilerplate else tuple(r for r in RULES if not ctx.keeps(r.name))
    rules += tuple(r for r in ctx.extra_rules if not ctx.keeps(r.name))
    if not rules:
        return doc
    kept: list[Block] = []
    removed: list[Removal] = []
    drop_list = ""  # the rule whose heading takes the next list along
    for index, block in enumerate(doc.blocks):
        if index < HEAD_BLOCKS and (items := _head_list_items(block, rules, ctx)):
            removed.extend(items)  # "24 July 2015 / From the section US & Canada / 941 comments"
            continue
        if drop_list and (isinstance(block, (BulletList, OrderedList)) or _links_only(block)):
            # The list under it, or the teasers under it: headlines that each link to another page.
            removed.append(Removal(drop_list, block_text(block)))
            continue
        if drop_list == CONTACT_RULE and _contact_line(block):
            removed.append(Removal(CONTACT_RULE, block_text(block)))
            continue
        drop_list = ""
        if (teaser := _teaser_card(block, rules)) is not None:
            removed.append(Removal(teaser, block_text(block)))
            continue
        matched = _match(block, rules)
        if matched is None:
            kept.append(block)
            continue
        removed.append(Removal(matched, block_text(block)))
        # A "Related" or "Tags" heading takes the list of links (or the teasers) under it along.
        drop_list = matched if matched in (*_TAKES_LIST, CONTACT_RULE) else ""
    if any(r.name == CREDIT_RULE for r in rules):
        kept = _drop_credits(kept, removed, next(r for r in RULES if r.name == CREDIT_RULE))
    if not (ctx.keep_boilerplate or ctx.keeps(EMPTY_HEADING_RULE)):
        kept = _drop_empty_headings(kept, removed)
    if not (ctx.keep_boilerplate or ctx.keeps(SEPARATOR_LIST_RULE)):
        kept = _drop_separator_lists(kept, removed)
    if not removed:
        return doc
    return replace(doc, blocks=tuple(kept), removed=(*doc.removed, *removed))


def _head_list_items(block: Block, rules: tuple[Rule, ...], ctx: Context) -> list[Removal]:
    """A list at the body's head whose every item is a line of the page's header (a date, a
    byline, the section, a comment count): the removals of its items, or []."""
    if not isinstance(block, (BulletList, OrderedList)) or len(block.items) > _HEAD_LIST_ITEMS:
        return []
    found: list[Removal] = []
    for item in block.items:
        text = block_text(Div(item))
        if len(item) != 1 or not text or len(text.split()) > _HEAD_LIST_WORDS:
            return []
        if parse_dateline(text) is not None and not ctx.keeps(DATELINE_RULE):
            found.append(Removal(DATELINE_RULE, text))
        elif parse_byline(text) is not None and not ctx.keeps(BYLINE_RULE):
            found.append(Removal(BYLINE_RULE, text))
        elif (matched := _match(item[0], rules)) is not None:
            found.append(Removal(matched, text))
        else:
            return []
    return found


# A credit closing a caption or a paragraph under an image: "… gesegnet. | © Augusta National/Getty
# Images", "… reduzieren. (Foto: Andreas Voegelin, Eawag)", "… Klemmer. Foto: GdP/Hagen Immel".
_CREDIT_TAIL = re.compile(
    r"\s*\|\s*©\s*[^©|]{1,80}$"
    r"|\s*\((?:foto|fotos|photo|photos|bild|bilder|credit|image|bildquelle)\s*:[^()]{1,80}\)$"
    # A source named with a slash is a picture's: "(Quelle: Fleischmann/Unsplash/DJV)", where
    # "(Quelle: Statistisches Bundesamt)" cites the source of a figure in the text.
    r"|\s*\((?:quelle|source)\s*:[^()/]{1,60}/[^()]{1,60}\)$"
    r"|(?<=[.!?])\s*(?:foto|fotos|photo|photos|bild|bilder|credit)\s*:\s*(?:[^.!?]|\.(?=\S)){1,80}$"
    # A photographer and a picture agency in brackets: "… gut getarnt. (mlharing / iStock.com)".
    rf"|\s*\((?:©\s*)?(?:[^()/]{{1,50}}/\s*)?{_STOCK}(?:\s*/\s*[^()/]{{1,50}})?\)$"
    rf"|\s*\((?:©\s*)?[^()/]{{1,50}}/\s*{_AGENCY}\)$|\s*\((?:©\s*)?{_AGENCY}\s*/\s*[^()/]{{1,50}}\)$",
    re.IGNORECASE,
)


def _credit_tail(content: tuple[Inline, ...]) -> re.Match[str] | None:
    """The credit closing a line's text, after text of its own."""
    last = content[-1] if content else None
    tail = _CREDIT_TAIL.search(last.text) if isinstance(last, Text) else None
    return tail if tail is not None and tail.start() > 0 else None


def _drop_credits(blocks: list[Block], removed: list[Removal], credit: Rule) -> list[Block]:
    """Drop the photo credits a reader marked (``CREDIT_CLASS`` spans, a figure's "copyright"
    element) wherever they are, and a figure's caption that is only a credit ("(Foto: ABr)"):
    the image stays, and a caption with text of its own."""

    def drop(node: Any) -> Any:
        if isinstance(node, Span) and CREDIT_CLASS in node.attr.classes:
            removed.append(Removal(CREDIT_RULE, inline_text(node.content)))
            return ()
        if isinstance(node, (Plain, Paragraph)) and all(
            isinstance(n, Text) and not n.text.strip() for n in node.content
        ):
            return ()  # what held only a credit
        if isinstance(node, (Plain, Paragraph)) and (tail := _credit_tail(node.content)):
            removed.append(Removal(CREDIT_RULE, tail.group().strip(" |")))
            last = node.content[-1]
            assert isinstance(last, Text)
            return replace(node, content=(*node.content[:-1], Text(last.text[: tail.start()])))
        if isinstance(node, Figure) and node.caption and credit.matches(block_text(Div(node.caption))):
            removed.append(Removal(CREDIT_RULE, block_text(Div(node.caption))))
            return replace(node, caption=())
        if isinstance(node, Figure) and node.caption:  # a caption's line that is only a credit
            lines = [b for b in node.caption if not credit.matches(block_text(b))]
            removed.extend(Removal(CREDIT_RULE, block_text(b)) for b in node.caption if b not in lines)
            return replace(node, caption=tuple(lines))
        return node

    return list(rewrite(tuple(blocks), drop))


def _drop_empty_headings(blocks: list[Block], removed: list[Removal]) -> list[Block]:
    """Drop headings over nothing: a lone "Contents" whose list was page furniture, a
    section title left at the end. Such a heading is followed by a heading of the same or
    a higher rank, or by the end of the body, and is short: a paragraph-long one is a lede."""
    kept: list[Block] = []
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if (
            isinstance(block, Heading)
            and len(block_text(block).split()) <= _HEADING_WORDS
            and (following is None or (isinstance(following, Heading) and following.level <= block.level))
        ):
            removed.append(Removal(EMPTY_HEADING_RULE, block_text(block)))
        else:
            kept.append(block)
    return kept


def _drop_separator_lists(blocks: list[Block], removed: list[Removal]) -> list[Block]:
    """Drop a list with no letter, digit or picture in it, only punctuation ("/", "|", "·") and
    empty items: the separators of a header or share row (author / follow / e-mail / date) whose
    words the reader took out and whose icons were pictures it left out."""
    kept: list[Block] = []
    for block in blocks:
        text = block_text(block)
        if (
            isinstance(block, (BulletList, OrderedList))
            and not any(c.isalnum() for c in text)
            and not _has_image(block)
        ):
            removed.append(Removal(SEPARATOR_LIST_RULE, text))
        else:
            kept.append(block)
    return kept


def _has_image(block: Block) -> bool:
    return any(isinstance(node, Image) for node in iter_nodes(block))


def _teaser_card(block: Block, rules: tuple[Rule, ...]) -> str | None:
    """``TEASER_RULE`` for a figure whose caption ends in a teaser's link ("Leer más"): a card
    for another article (its picture, its headline, the link), set inside the article."""
    if not isinstance(block, Figure) or not block.caption:
        return None
    teaser = next((r for r in rules if r.name == TEASER_RULE), None)
    return TEASER_RULE if teaser is not None and teaser.matches(block_text(block.caption[-1])) else None


def _contact_line(block: Block) -> bool:
    """A line of a contact box: a name, an address, a telephone number or an e-mail address."""
    if isinstance(block, (Heading, Figure)) or _has_image(block):
        return False
    text = block_text(block).strip()
    count = len(text.split())
    if not text or count > _CONTACT_WORDS:
        return False
    sentence = text.endswith((".", "!", "?"))
    return bool(_CONTACT_DETAIL.search(text)) or (count <= _CONTACT_NAME_WORDS and not sentence)


def _links_only(block: Block) -> bool:
    """A paragraph or heading whose text is all link text: a teaser pointing to another page."""
    if not isinstance(block, (Paragraph, Plain, Heading)):
        return False
    content = [node for node in block.content if not (isinstance(node, Text) and not node.text.strip())]
    return bool(content) and all(isinstance(node, Link) for node in content)


def _match(block: Block, rules: tuple[Rule, ...]) -> str | None:
    while isinstance(block, Div) and len(block.blocks) == 1:  # a page's box around one prompt
        block = block.blocks[0]
    if not isinstance(block, (Paragraph, Plain, Heading)):
        return None
    text = block_text(block)
    return next((r.name for r in rules if r.matches(text)), None)
