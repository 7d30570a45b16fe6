"""Identifiers with a shape: contacts, ID numbers, calendar dates, street
addresses. Regular expressions for what Presidio's recognizers do not cover
(social handles, dates written out, addresses, IDs Presidio calls invalid).

Recall first: digits in groups ("4111 1111 1111 1111", "046 454 286") and any
token mixing letters and digits are masked, whatever their checksum, except
years, times, money, ordinals and counts ("2019", "10pm", "$200", "3rd", "5k");
national IDs (UK, Canada, Australia, Ireland, India, US), licence plates,
postcodes, flats, e-mails spelled out ("ana dot ruiz at gmail dot com"), and
handles or payment tags without an @ after the word that names them ("username",
"tag", "id", "snap", "venmo") or shaped like one ("kaz_w", "lena.moss2")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator, List, Pattern, Tuple


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    kind: str


# Each kind's placeholder: "[PERSON_1]".
LABELS = {
    "person": "PERSON",
    "place": "PLACE",
    "org": "ORG",
    "address": "ADDRESS",
    "date": "DATE",
    "phone": "PHONE",
    "email": "EMAIL",
    "url": "URL",
    "handle": "HANDLE",
    "id": "ID",
}
_KIND_OF_LABEL = {label: kind for kind, label in LABELS.items()}
PLACEHOLDER = re.compile(r"\[(" + "|".join(LABELS.values()) + r")_\d+\]")


def placeholder_kinds(text: str) -> Iterator[str]:
    """The kind of each placeholder in an anonymized text, in order."""
    for match in PLACEHOLDER.finditer(text):
        yield _KIND_OF_LABEL[match.group(1)]


_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
    r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
    r"(?!\w)\.?"  # "mar" is March, not "marriage"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_STREET = (
    r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|"
    r"way|place|pl|terrace|ter|parkway|pkwy|circle|cir|highway|hwy|square|sq|"
    r"crescent|close|row|alley)"
)
_SOCIAL = (
    r"(?:snap(?:chat)?|ig|insta(?:gram)?|tiktok|twitter|discord|telegram|reddit|"
    r"venmo|kik)"
)

# E-mail addresses spelled out: "ana dot ruiz at gmail dot com", "bo(at)x.org".
# Country endings too ("dot co dot za", "dot gov dot gh"), none an English word.
_TLD = (
    r"(?:com|net|org|edu|gov|info|io|co|uk|ie|ca|au|nz|in|me|us|de|fr|es|it|nl|"
    r"za|gh|ng|ke|ph|sg|pk|jm|tt|br|mx|ar|pl|pt|ro|ru|ua|tr|ae|sa|eg|vn|kr|jp|"
    r"cn|hk|tw|lk|bd|np|fj|zw|ug|tz|rw|cm|ch|se|dk|fi|gr|hu|cz|sk)"
)
_MAIL_HOST = (
    r"(?:gmail|googlemail|yahoo|ymail|hotmail|outlook|icloud|aol|protonmail|"
    r"proton|live|msn|gmx|yandex|zoho)"
)
# "dot", and the word in Spanish, Portuguese and French ("punto", "ponto",
# "point"); "at", "at the rate" (Indian English) and "arroba".
_DOT = r"(?:\.|\s*[(\[{]\s*dot\s*[)\]}]\s*|\s+(?:dot|punto|ponto|point)\s+)"
_AT = (
    r"(?:\s*@\s*|\s*[(\[{]\s*at\s*[)\]}]\s*|\s+at\s+the\s+rate(?:\s+of)?\s+|"
    r"\s+(?:at|arroba)\s+)"
)
_JOIN = (
    r"(?:[._-]|\s*[(\[{]\s*dot\s*[)\]}]\s*|"
    r"\s+(?:dot|underscore|dash|hyphen|period|punto|ponto)\s+)"
)
_NOT_MAILBOX = (
    r"(?!(?:i|me|him|her|them|us|you|it|we|he|she|they|was|is|am|are|were|be|"
    r"been|and|or|but|so|just|still|all)\b)"
)
# Where people give a handle or a payment tag without an @: "username x",
# "her tag is $y", "venmo me at z", "my id is w".
_HANDLE_CUE = (
    r"(?:user\s?name|screen\s?name|handle|gamer\s?tag|tag|insta(?:gram)?|ig|"
    r"snap(?:chat)?|sc|tik\s?tok|twitter|discord|telegram|reddit|twitch|steam|psn|"
    r"xbox|venmo|cash\s?app|paypal|zelle|kik|wechat|threads|bluesky|id)"
)
_HANDLE_LINK = (
    r"(?:\s*[:=(]\s*|\s+(?:name|id|handle|tag|username|account|is|was|it's|its|"
    r"me|him|her|them|at|on|as|called|named|under)(?=\s|$|[:=(]))*\s*"
)
# Where people give a postcode or a flat: "postcode M5V 2T6", "Flat 302".
_POSTCODE_CUE = r"(?:post\s?code|postal\s?code|zip(?:\s?code)?|pin\s?code|eircode)"
_FLAT = (
    r"(?:(?:flat|apt|apartment|unit|suite|ste|dorm|house\s+(?:no|number)|blk|block)"
    r"\.?\s*(?:#|no\.?|number)?\s*(?:\d{1,5}[A-Za-z]?|[A-Za-z]\d{1,4})|"
    r"(?:room|rm)\.?\s*(?:#|no\.?|number)?\s*\d{3,5}[A-Za-z]?)"
)
# Words between a house number and the street word that say it is no address:
# "2 hours on the way", "5 minutes down the road".
_NOT_STREET_NAME = (
    r"(?!(?:the|on|in|to|a|an|my|his|her|our|their|of|for|and|at|down|up|from|by|"
    r"all|whole|same|other|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|"
    r"miles?|blocks?|km|times?)\b)"
)
_PLATE_CUE = (
    r"(?:(?:number|license|licence|registration)\s+plate|plates?|reg|rego|"
    r"registration)"
)
# A plate after its cue is whole words: capitals, or a group with a digit in
# it; a lowercase group only just before a group with digits ("kdc 442x").
# Any other word after the cue is no part of it ("plate kereta dia ...").
_PLATE_DIGITS = r"(?=[A-Za-z0-9]{0,7}\d)[A-Za-z0-9]{1,8}\b"
_PLATE_GROUP = rf"(?:{_PLATE_DIGITS}|[A-Z]{{1,4}}\b)"
# "the 3rd time", "the 2nd floor": an ordinal that is not a day of the month.
_NOT_A_DAY = (
    r"(?!\s+(?:time|times|one|ones|floor|grade|kid|child|baby|date|round|try|"
    r"attempt|session|week|month|year|day|night|place|row|person|guy|girl|wife|"
    r"husband|marriage|anniversary|birthday|step|chance|affair|job|move)\b)"
)

# A phone number said in words, or with words between its digit groups ("oh
# seven seven double oh nine hundred...", "five two nine, eighteen...", "0412
# then 558 then 903"): seven digits or more, counted by _spoken_digits.
_TENS = (
    r"ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|"
    r"nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
)
# The words of one digit.
_UNITS = r"zero|oh|one|two|three|four|five|six|seven|eight|nine"
_DIGIT_WORD = rf"(?:{_UNITS}|o|hundred|thousand|{_TENS}|\d{{1,5}})"
# Groups apart by commas, dashes or spaces, or by "then" ("eight seven six, four
# four two, then 1938"); a country code said as "plus".
_SPOKEN_PHONE = (
    rf"\b(?:plus\s+)?{_DIGIT_WORD}"
    rf"(?:(?:\s*[,/-]\s*|\s+)(?:(?:and\s+)?then\s+)?(?:(?:double|triple)[\s-]+)?"
    rf"{_DIGIT_WORD}){{3,}}\b"
)
# Arrows, stars, bullets, flags and emoji people put between a number's groups
# ("312 👉 555 👉 0176", "819 ☆ 555 ☆ 0164", "0 7 5 • 8 8 1").
_SYMBOLS = (
    r"[\u00b7\u2022\u2190-\u21ff\u2600-\u27bf\u2b00-\u2bff\ufe0f"
    r"\U0001f1e6-\U0001f1ff\U0001f300-\U0001faff]"
)
_SPLIT_PHONE = (
    r"(?<![\d.,])\d{2,5}(?:(?:\s*,?\s*(?:and\s+then|then|and|space|dash|hyphen|"
    rf"dot)\s+|\s*{_SYMBOLS}+\s*|\s+)\d{{2,5}}){{1,4}}(?![\d.,]\d)"
)
# One digit, or its word ("7 one 3 9").
_ONE_DIGIT = rf"(?:\d|(?:{_UNITS})\b)"
# A door, gate or key-safe code, a PIN or a password, after the word that names
# it ("the door code for her flat is 4471#", "gate code at Nana's is 2580 pound",
# "wifi pw sunflower!2291"): three digits or more, spaced or not, with the key
# after them; or a word with letters and digits.
_SECRET = (
    r"\b(?:code|passcode|password|pw|pwd|pin|passkey|combo)"
    r"(?:\s+(?:for|to|at|on)(?:\s+[\w'’]+){1,5}?)?"
    r"(?:\s+(?:is|was|=))?[\s:=,]+"
    rf"(?P<v>{_ONE_DIGIT}(?:[\s-]?{_ONE_DIGIT}){{2,9}}(?:\s?[#*]|\s(?:star|pound|hash)\b)?"
    r"|(?=[^\s]*\d)(?=[^\s]*[A-Za-z])[^\s]{4,}?(?=[.,?!]*(?:\s|$)))"
)
_DIGIT_NAMES = {
    "zero": 1, "oh": 1, "o": 1, "one": 1, "two": 1, "three": 1, "four": 1,
    "five": 1, "six": 1, "seven": 1, "eight": 1, "nine": 1,
    # "nine hundred" is three digits: the word adds its zeros; "eighteen" and
    # "sixty" are two.
    "hundred": 2, "thousand": 3,
    **{word: 2 for word in _TENS.split("|")},
}  # fmt: skip
MIN_SPOKEN_DIGITS = 7
MIN_DIGIT_WORDS = 4
# Public helplines identify nobody and a therapist needs to see them: Crisis
# Text Line (741741), Samaritans (116 123), Lifeline AU (13 11 14), Childline
# (0800 1111), Shout (85258), and emergency numbers.
PUBLIC_NUMBERS = {
    "741741", "686868", "85258", "116123", "131114", "08001111", "988", "911",
    "999", "112", "000", "18002738255", "18005990019",
}  # fmt: skip


def public_number(value: str) -> bool:
    """A helpline or emergency number, however it is spaced."""
    return "".join(c for c in value if c.isdigit()) in PUBLIC_NUMBERS


def _spoken_digits(value: str) -> int:
    """How many digits a number said in words holds ("double oh" is two); none
    unless four of its words are digits or digit groups, so that counting
    aloud ("ten, twenty, thirty, forty") or ages ("sixty five, seventy") is no
    number."""
    count, times, units = 0, 1, 0
    for word in re.findall(r"[a-z]+|\d+", value.lower()):
        if word in ("double", "triple"):
            times = 2 if word == "double" else 3
            continue
        count += (len(word) if word.isdigit() else _DIGIT_NAMES.get(word, 0)) * times
        units += word.isdigit() or _DIGIT_NAMES.get(word) == 1
        times = 1
    return count if units >= MIN_DIGIT_WORDS else 0


# Order matters: earlier kinds win where spans overlap (a date is not a phone).
PATTERNS: List[Tuple[str, Pattern[str]]] = [
    ("spoken_phone", re.compile(_SPOKEN_PHONE, re.I)),
    ("split_phone", re.compile(_SPLIT_PHONE, re.I)),
    ("id", re.compile(_SECRET, re.I)),
    # A password that looks like an address with digits after the @ ("is it
    # Sharma@2207?"): no e-mail or handle ends so.
    ("id", re.compile(r"(?<![\w.@+-])[A-Za-z][\w.]*@\d{2,}\b(?![.@]\w)")),
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    # Typed letter by letter: "s i o b h a n . r y a n @ e i r c o m . n e t".
    ("email", re.compile(r"(?<!\S)(?:[\w.+-] ){3,}@(?: [\w.-]){3,}(?!\S)")),
    # Spaces round the @ and the dots: "ana @ gmail . com".
    ("email", re.compile(r"[\w.+-]+\s+@\s+[\w-]+(?:\s*\.\s*[\w-]+)+")),
    # A payment ID or address with no domain ending: UPI "ramesh.k@okaxis".
    (
        "handle",
        re.compile(r"(?<![\w.@+-])[A-Za-z0-9][\w.+-]*@[A-Za-z][\w-]{1,30}\b(?![.@]\w)"),
    ),
    ("url", re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.I)),
    (
        "url",
        re.compile(
            r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|io|co|me|ly|app|info|biz|us|uk|"
            r"ca|de|fr|au|edu|gov|tv|gg|link|site|online|xyz)\b(?:/[^\s<>\"']*)?",
            re.I,
        ),
    ),
    (
        "handle",
        re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?"),
    ),
    # "snap: lilyb99", "his snap is lilyb99", "on discord called x", "sunflower#2207".
    (
        "handle",
        re.compile(
            rf"\b{_SOCIAL}(?::|\s+(?:is|name is|called|as|handle))?\s+"
            r"(?P<v>(?=[A-Za-z0-9_.#]*[\d_#])[A-Za-z0-9_.#]{3,37})",
            re.I,
        ),
    ),
    ("handle", re.compile(r"\b[A-Za-z0-9_.]{2,32}#\d{4}\b")),
    (
        "date",
        re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s+\d{{4}})?", re.I),
    ),
    (
        "date",
        re.compile(rf"\b(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?", re.I),
    ),
    ("date", re.compile(rf"\bthe\s+\d{{1,2}}(?:st|nd|rd|th)\b{_NOT_A_DAY}", re.I)),
    ("date", re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b")),
    ("date", re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")),
    ("date", re.compile(r"\b\d{1,2}/\d{1,2}\b")),
    ("id", re.compile(r"\b\d{3}-\d{2}-\d{4}\b")),
    # Street first, in the languages users move between: "88 Rue de Rivoli".
    (
        "address",
        re.compile(
            r"\b\d{1,5},?\s+(?:rue|calle|via|avenida|avenue|boulevard|place)\s+"
            r"(?:(?:de|del|la|le|des|du|di)\s+)*[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2}"
        ),
    ),
    (
        "address",
        re.compile(
            rf"\b\d{{1,6}}[A-Za-z]?\s+(?:{_NOT_STREET_NAME}[A-Za-z0-9.'-]+\s+){{0,3}}?"
            rf"{_STREET}\b\.?"
            r"(?:,?\s*(?:apt|apartment|unit|suite|ste|flat|#)\.?\s*[A-Za-z0-9-]+)?",
            re.I,
        ),
    ),
    # Part of a number, given apart: "it starts 0412 and the rest is...".
    (
        "phone",
        re.compile(
            r"\b(?:starts?|starting|begins?|beginning|ends?|ending|area\s+code|prefix)"
            r"(?:\s+(?:with|in|on))?\s+(?P<v>(?:\+|0)\d{2,4})\b",
            re.I,
        ),
    ),
    # Part of a number typed before the writer stops to check: "its 0803 ...
    # wait", "055 … make I check". A leading 0 is no amount or count; after
    # "at" or "by" it is a time ("at 0800...").
    (
        "phone",
        re.compile(
            r"(?<![\w.,])(?<!\bat )(?<!\bby )(?<!\bfrom )(?<!\btill )(?<!\buntil )"
            r"0\d{2,4}(?=\s*(?:\.{2,}|…))",
            re.I,
        ),
    ),
    ("phone", re.compile(r"\+\d[\d\s().-]{6,}\d")),
    ("phone", re.compile(r"\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}\b")),
    ("phone", re.compile(r"\(\d{3}\)\s*\d{3}[\s.-]?\d{4}")),
    ("phone", re.compile(r"\b\d{10,11}\b")),
    ("phone", re.compile(r"\b\d{3}[\s.-]\d{4}\b")),
    # An ID after the word that names it: "MRN 445-221", "passport no. X12345".
    (
        "cued_id",
        re.compile(
            r"\b(?:mrn|id|no|number|acct|account|policy|case|license|licence|"
            r"passport|plate|member|patient)(?:\s+(?:is|was))?[\s:#.]{1,3}"
            r"(?P<v>(?=[A-Za-z/-]*\d)[A-Za-z0-9][A-Za-z0-9/-]{3,})",
            re.I,
        ),
    ),
    # Letters and at least three digits mixed, or five digits or more.
    (
        "id",
        re.compile(
            r"\b(?=[A-Za-z-]*\d(?:[A-Za-z-]*\d){2})(?=[\d-]*[A-Za-z])[A-Za-z0-9-]{5,}\b"
        ),
    ),
    ("id", re.compile(r"\b\d(?:[\d-]*\d){4,}\b")),
    # Digits in groups: cards, Aadhaar, SIN, TFN, Medicare, phones ("4111 1111
    # 1111 1111", "046 454 286", "98765 43210"); _fits wants six digits or more.
    ("digits", re.compile(r"(?<![\w.,/:])\d+(?:[ .-]\d+)+\b")),
    # Digits typed apart, the groups apart by a spaced dash, dot, slash or
    # symbol ("6 2 3 9 - 4 4 1 0", "876 🇯🇲 5 8 2 🇯🇲 1 1 9 0").
    (
        "apart_digits",
        re.compile(
            rf"(?<![\w.,/:])\d+(?: \d+)*(?:\s*(?:[.•/-]|{_SYMBOLS}+)\s*\d+(?: \d+)*)+\b"
        ),
    ),
    # A reference in three parts or more apart by slashes ("SJCL/2021/0447",
    # "KTW/CR/118/24"), four digits or more in all.
    (
        "id",
        re.compile(
            r"(?<![\w/])(?=(?:[A-Za-z/]*\d){4})[A-Za-z0-9]{1,10}(?:/[A-Za-z0-9]{1,10}){2,}"
            r"(?![\w/])"
        ),
    ),
    # Any token mixing letters and digits ("QX7741Z", "LB19"); _fits lets ordinals,
    # times, units and chat words through ("3rd", "10pm", "5k", "gr8").
    (
        "id",
        re.compile(r"\b(?=[A-Za-z0-9]*[A-Za-z])(?=[A-Za-z0-9]*\d)[A-Za-z0-9]{3,}\b"),
    ),
    # National IDs with a shape: UK National Insurance "QQ 12 34 56 C".
    (
        "id",
        re.compile(
            r"\b[A-Z]{2}[ -]?\d{2}[ -]?\d{2}[ -]?\d{2}"
            r"[ -]?[A-D]\b",
            re.I,
        ),
    ),
    # Licence plates: UK "LB19 XKD", India "MH 02 EK 7719", Germany "M-KL 4471",
    # North America "ABC 1234" / "ABC-123".
    # Typed in one case: "RM80 for" is money and a word, "lb19 xkd" a plate.
    ("id", re.compile(r"\b(?:[A-Z]{2}\d{2}\s?[A-Z]{3}|[a-z]{2}\d{2}\s?[a-z]{3})\b")),
    ("id", re.compile(r"\b[A-Z]\d{1,3}\s?[A-Z]{3}\b")),
    (
        "id",
        re.compile(r"\b[A-Z]{2}[ -]?\d{1,2}(?:[ -]?[A-Z]{1,3}){1,2}[ -]?\d{3,4}\b"),
    ),
    ("id", re.compile(r"\b[A-ZÄÖÜ]{1,3}-[A-Z]{1,2}\s?\d{1,4}[EH]?\b")),
    ("id", re.compile(r"\b[A-Z]{2,3}[ -]\d{3,4}\b(?![ -]?\d)")),
    ("id", re.compile(r"\b\d{3,4}[ -][A-Z]{3}\b")),
    # Kenya "KDA 442X".
    ("id", re.compile(r"\b[A-Z]{3}\s?\d{3}[A-Z]\b")),
    # Capitals and digits in three or more groups joined by dashes: plates such as
    # "CF-24-LM", "AB-123-CD", "12-ABC-3".
    (
        "id",
        re.compile(
            r"\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{1,4}(?:-[A-Z0-9]{1,4}){2,}\b"
        ),
    ),
    # The last digits of an account, card or ID: "the account ending 8821",
    # "joint account (ending 4471)", "my bank card, it ends in 2290".
    (
        "id",
        re.compile(
            r"\b(?:account|acct|card|a/c|id|number|no)\b[\s,:(]+(?:\S+\s+){0,3}?"
            r"(?:ending|ends|that\s+ends)(?:\s+(?:in|with))?\s+(?P<v>\d{3,6})\b",
            re.I,
        ),
    ),
    # Four last digits after "ending" whatever names them ("the Amex ending 5512").
    (
        "id",
        re.compile(r"\b(?:ending|ends)(?:\s+(?:in|with))?\s+(?P<v>\d{4})\b", re.I),
    ),
    # A reference after "#" or in quotes: "ticket #5551mm", "the one is '5551km'".
    ("cued_id", re.compile(r"(?<![\w#&])#\s?(?P<v>\d{4,}[A-Za-z]{0,3})\b")),
    (
        "cued_id",
        re.compile(r"['‘\"“](?P<v>[A-Za-z-]{0,4}\d{4,}[A-Za-z]{1,4})['’\"”]"),
    ),
    (
        "id",
        re.compile(
            rf"\b(?i:{_PLATE_CUE})(?:['’]s)?(?:\s+(?i:number|no\.?|is|was|#))*[\s:#]+"
            rf"(?P<v>(?:[a-z]{{1,4}}[ -](?={_PLATE_DIGITS}))?"
            rf"(?:{_PLATE_GROUP}[ -]){{0,3}}{_PLATE_DIGITS}"
            rf"(?:[ -]{_PLATE_GROUP}){{0,3}})"
        ),
    ),
    # IDs after the word that names them, national ones included.
    (
        "cued_id",
        re.compile(
            r"\b(?:ssn|sin|nin|ni|nino|nhs|ppsn?|pps|aadhaa?r|pan|tfn|medicare|ird|"
            r"abn|ref|reference|customer|order|ticket|tracking|dl|permit|visa|"
            r"badge|employee|student|card|iban|routing|sort\s+code)"
            r"(?:\s+(?:number|no\.?|num|#|id|is|was|code|ref|reference))*[\s:#.]{1,3}"
            # One digit alone is a count ("a gift card. 3 years"), not an ID.
            r"(?P<v>(?=[A-Za-z-]*\d)(?=[A-Za-z0-9-]{2})[A-Za-z0-9][A-Za-z0-9-]*"
            r"(?:\s\d[A-Za-z0-9-]*)*"
            r"(?:\s(?-i:(?!I\b)[A-Z]{1,2})\b)?)",
            re.I,
        ),
    ),
    # Postcodes: UK "SW1A 2AA", Canada "M5V 2T6", Ireland "D04 K7W2",
    # Australia "NSW 2010", and whatever follows "postcode" or "zip".
    (
        "address",
        re.compile(
            r"\b[A-Z]{1,2}\d[A-Z\d]?\s?(?!\d(?:st|nd|rd|th)\b)\d[A-Z]{2}\b", re.I
        ),
    ),
    ("address", re.compile(r"\b[ABCEGHJ-NPRSTVXY]\d[A-Z][ -]?\d[A-Z]\d\b", re.I)),
    (
        "address",
        re.compile(
            r"\b[ACDEFHKNPRTVWXY]\d[0-9W]\s?(?=[A-Z]{0,3}\d)[0-9A-Z]{4}\b", re.I
        ),
    ),
    (
        "address",
        re.compile(
            r"\b(?:NSW|VIC|QLD|TAS|SA|WA|NT|ACT|(?i:nsw|vic|qld|tas))\s+\d{4}\b"
        ),
    ),
    (
        "address",
        re.compile(
            rf"\b{_POSTCODE_CUE}(?:\s+(?:is|was|code))*[\s:#]+"
            r"(?P<v>(?=[A-Za-z0-9 -]*\d)[A-Za-z0-9]{2,5}(?:[ -][A-Za-z0-9]{2,4})?)",
            re.I,
        ),
    ),
    # A post office box: "P.O. Box 5527", "PO box 12".
    (
        "address",
        re.compile(
            r"\b(?:P\.?\s?O\.?\s?Box|post\s+office\s+box)\s*#?\s*\d{1,6}\b", re.I
        ),
    ),
    # Flats and units: "Flat 302", "apt 12B", "unit #4", "blk 523".
    (
        "address",
        re.compile(
            rf"\b{_FLAT}\b",
            re.I,
        ),
    ),
    # A unit given as floor and door, as Singapore writes it: "#12-04".
    ("address", re.compile(r"(?<![\w#])#\d{1,3}-\d{1,4}\b")),
    # E-mails spelled out.
    (
        "email",
        re.compile(
            rf"(?<![\w.@-]){_NOT_MAILBOX}[A-Za-z0-9+]+(?:{_JOIN}[A-Za-z0-9+]+){{0,4}}{_AT}"
            # A host said in two words: "at docherty law dot co dot uk".
            rf"[A-Za-z0-9-]+(?:\s+[A-Za-z0-9-]+)?(?:{_DOT}[A-Za-z0-9-]+){{0,3}}"
            rf"{_DOT}{_TLD}\b",
            re.I,
        ),
    ),
    (
        "email",
        re.compile(
            rf"(?<![\w.@-]){_NOT_MAILBOX}[A-Za-z0-9+]+(?:{_JOIN}[A-Za-z0-9+]+){{1,4}}{_AT}"
            rf"{_MAIL_HOST}\b",
            re.I,
        ),
    ),
    # Payment tags ("$kiara22") and handles after the word that names them.
    ("handle", re.compile(r"(?<![\w$])\$[A-Za-z][A-Za-z0-9_.-]{1,29}[A-Za-z0-9_]")),
    (
        "cued_handle",
        re.compile(
            # An @ on its own names it too: "her @ is shanice.xo_".
            rf"(?:\b{_HANDLE_CUE}\b|(?<!\S)@(?!\S)){_HANDLE_LINK}"
            r"(?P<v>[@$]?[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,30}[A-Za-z0-9_])?)",
            re.I,
        ),
    ),
    # Typed letter by letter after the word that names it: "snap is l e x i . m a e".
    (
        "handle",
        re.compile(
            rf"\b{_HANDLE_CUE}\b{_HANDLE_LINK}"
            r"(?P<v>(?:[A-Za-z0-9._] ){4,}[A-Za-z0-9._])(?!\S)",
            re.I,
        ),
    ),
    # Shaped like a handle: words joined by underscores, or letters and digits
    # joined by dots ("kaz_w", "lena.moss2").
    (
        "handle",
        re.compile(r"(?<![\w@${])_*[A-Za-z0-9]+(?:_+[A-Za-z0-9]+)+_*(?![\w}])"),
    ),
    (
        "handle",
        re.compile(
            r"(?<![\w@.])(?=[\w.]*\d)[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)+(?![\w@])"
        ),
    ),
    # Words joined by dots with an underscore at the end ("mads.xo_").
    ("handle", re.compile(r"(?<![\w@.])[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)+_+(?!\w)")),
]
# Things those shapes also match that identify nobody: a year, a time, "24/7".
_HARMLESS = re.compile(
    r"^(?:(?:19|20)\d{2}|\d{1,2}(?::\d{2})?(?:am|pm)|24/7|\d+/\d+)$", re.I
)
# Letters and digits that identify nobody: ordinals, times, counts with a unit,
# decades, multipliers and chat words.
_HARMLESS_MIXED = re.compile(
    r"^(?:\d+(?:st|nd|rd|th|s|k|m|x|h|hr|hrs|min|mins|sec|secs|d|w|wk|wks|mo|mos|"
    r"y|yr|yrs|yo|kg|g|lb|lbs|oz|km|mi|mph|kph|ft|cm|mm|ml|l|gb|mb|tb|kb|p|am|pm|"
    r"a|ish|mg|mcg)|\d{1,2}(?::\d{2})?(?:am|pm|a|p)|x\d{1,3})$",
    re.I,
)
CHAT_WORDS = {
    "b4", "l8r", "l8", "gr8", "m8", "h8", "w8", "2day", "2nite", "2night", "2moro",
    "2morrow", "4ever", "4eva", "str8", "sk8", "ne1", "some1", "any1", "no1",
    "every1", "2u", "4u", "u2", "me2", "2gether", "ps4", "ps5", "mp3", "mp4", "3d",
    "2d", "4k", "5g", "4g", "3g", "4x4", "covid19", "b12", "d3", "y2k", "co2",
    "n95", "kn95", "9to5", "f2f", "1on1", "1v1", "w2", "401k", "g2g", "gtg2", "h2o",
    "ww1", "ww2", "wwi", "wwii", "mp3s", "ps2", "ps3", "gta5", "gta6",
}  # fmt: skip
# Currencies written as a code or a short sign ("AUD 800", "$2,300 CAD",
# "Rp 4.5 juta", "K200" kwacha, "RM150" ringgit).
CURRENCY_CODES = (
    "rs", "inr", "usd", "gbp", "eur", "aud", "cad", "nzd", "sgd", "myr", "php",
    "ksh", "kes", "ngn", "zar", "jmd", "ttd", "bbd", "gyd", "aed", "idr", "rp",
    "vnd", "zmw", "tzs", "ugx", "etb", "npr", "pkr", "bdt", "lkr", "hkd", "ghs",
)  # fmt: skip
# Ringgit in capitals: "rm 305" is a room.
_CURRENCY = "|".join(CURRENCY_CODES) + "|(?-i:RM)"
_MONEY_BEFORE = re.compile(rf"(?:[$£€₹¥₦₱₵]|\b(?:{_CURRENCY})\.?)\s?$", re.I)
_MONEY_AFTER = re.compile(
    r"^\s?(?:k\b|dollars|bucks|pounds|quid|euros?|rupees|grand|"
    rf"(?:{_CURRENCY})\b|"
    r"a\s+(?:year|month|week)|per\b|/(?:yr|year|mo|month))",
    re.I,
)
# The kinds of match made of digits, which money or a year may explain away.
_NUMBER_KINDS = ("id", "cued_id", "phone", "digits", "apart_digits")
# A match that is itself an amount with its currency.
_AMOUNT = r"(?:\d{1,3}(?:,\d{3})+|\d{1,6})(?:\.\d{1,2})?"
_MONEY_VALUE = re.compile(
    rf"(?:(?:{_CURRENCY}|k)\.?\s?{_AMOUNT}k?|{_AMOUNT}\s?(?:{_CURRENCY}))", re.I
)


# Numbers that identify nobody though letters touch them: money with a currency
# letter ("R3,200", "Rs500", "KSh 2,000") and an age with a sex ("26F", "31nb").
_MONEY_OR_AGE = re.compile(
    r"(?:R|Rs\.?|KSh|₦|₱|RM)\s?(?:\d{1,3}(?:,\d{3})+|\d{1,5})(?:\.\d{2})?k?"
    r"|\d{1,2}(?:f|m|nb)",
    re.I,
)


def money_or_age(text: str, start: int, end: int) -> bool:
    """Whether the word around text[start:end] is money or an age ("R3,200")."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    word = text[start:end].rstrip(".,;:!?)")
    return bool(_MONEY_OR_AGE.fullmatch(word) or _MONEY_VALUE.fullmatch(word))


def _year(group: str) -> bool:
    return len(group) == 4 and 1900 <= int(group) <= 2099


def _years(value: str) -> bool:
    """ "2015-2019", "1990-95": years, not an ID."""
    groups = re.findall(r"\d+", value)
    return (
        len(groups) > 1
        and _year(groups[0])
        and all(_year(g) or len(g) <= 2 for g in groups[1:])
    )


def _digit_kind(value: str) -> str | None:
    """Digits in groups: a phone if it starts like one, else an ID; None for
    what identifies nobody (years, "1990-95", fewer than six digits)."""
    groups = re.findall(r"\d+", value)
    digits = sum(len(g) for g in groups)
    if digits < 6 or not (max(len(g) for g in groups) >= 3 or len(groups) >= 4):
        return None
    if _years(value):
        return None
    if value.startswith("0") and 9 <= digits <= 12:
        return "phone"
    return "id"


def _money(text: str, start: int, end: int) -> bool:
    return bool(
        _MONEY_BEFORE.search(text[max(0, start - 5) : start])
        or _MONEY_AFTER.match(text[end : end + 12])
    )


def _fits(kind: str, value: str) -> bool:
    if kind == "date":
        return value.strip() != "24/7"
    return not _HARMLESS.match(value.strip())


def _kind(
    kind: str,
    text: str,
    start: int,
    end: int,
    ordinary: Callable[[str], bool] | None,
) -> str | None:
    """The kind a match is, or None when it identifies nobody."""
    value = text[start:end]
    if kind in (*_NUMBER_KINDS, "address") and _MONEY_VALUE.fullmatch(value):
        return None
    if kind in _NUMBER_KINDS and value[:1].isdigit():
        if _money(text, start, end) or _years(value):
            return None
    if kind == "date" and re.fullmatch(r"\d+/\d+", value):
        # "5/12" is a date, "50/50" and "24/7" are not.
        day, month = sorted(int(n) for n in value.split("/"))
        if day > 12 or month > 31:
            return None
    if kind == "digits":
        return _digit_kind(value)
    if kind == "cued_id":
        # Named as an ID, four digits or more are one whatever letters follow
        # ("ref 55219kg" is no weight); a year alone is a year ("#2019").
        if value.isdigit() and _year(value):
            return None
        if sum(c.isdigit() for c in value) >= 4:
            return "id"
        kind = "id"
    if kind == "apart_digits":
        # A digit typed alone beside another, not a range of times or scores
        # ("10.30 - 11.45", "21 - 18").
        return _digit_kind(value) if re.search(r"\b\d \d|\d \d\b", value) else None
    if kind == "spoken_phone":
        # Words alone or mixed with digits; digits alone are the other patterns'.
        words = re.sub(r"[\d\s,-]", "", value)
        return "phone" if words and _spoken_digits(value) >= MIN_SPOKEN_DIGITS else None
    if kind == "split_phone":
        # Digit groups alone are the "digits" pattern's: a word or a symbol
        # must join them.
        if (
            not re.search(rf"[a-z]|{_SYMBOLS}", value, re.I)
            or _money(text, start, end)
            or _years(re.sub(r"[a-z\s,]+", "-", value, flags=re.I))
        ):
            return None
        groups = re.findall(r"\d+", value)
        digits = sum(len(g) for g in groups)
        # Three groups, or two long ones; not round amounts ("1500 and 2000").
        if (len(groups) < 3 and digits < 10) or all(g.endswith("00") for g in groups):
            return None
        return "phone" if MIN_SPOKEN_DIGITS <= digits <= 15 else None
    if kind == "cued_handle":
        bare = value.lstrip("@$")
        if not any(c.isalpha() for c in bare):
            return None
        if value[0] in "@$" or re.search(r"[\d_.-]", bare):
            return "handle"
        # Letters only: a handle when it is no English word ("his snap is jakeyboy").
        if ordinary is None or len(bare) < 3 or ordinary(bare):
            return None
        return "handle"
    if kind == "id" and value.isalnum() and not value.isdigit():
        if _HARMLESS_MIXED.match(value) or value.lower() in CHAT_WORDS:
            return None
        if money_or_age(text, start, end):
            return None
    return kind if _fits(kind, value) else None


def pattern_findings(
    text: str, ordinary: Callable[[str], bool] | None = None
) -> Iterator[Finding]:
    """`ordinary(word)`: is this an English word (a letters-only value after
    "username" or "snap" is a handle only when it is not)."""
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            # A pattern with a group "v" marks only that part (the handle, not
            # the word "snap:" before it).
            start, end = match.span("v" if "v" in pattern.groupindex else 0)
            # A URL or handle does not end with the sentence's punctuation.
            while end > start and text[end - 1] in ".,;:!?)]":
                end -= 1
            if end <= start:
                continue
            found = _kind(kind, text, start, end, ordinary)
            if found:
                yield Finding(start, end, found)


def whole_word(needle: str, flags: int = 0) -> Pattern[str]:
    """`needle` as a whole word, not inside a longer one ("Mo" is not in "mom")."""
    return re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)", flags)
