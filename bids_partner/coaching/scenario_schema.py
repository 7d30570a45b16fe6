"""The shape of rehearsal scenarios (content/scenarios/*.yml) and of the rehearsal
coach's texts (content/rehearsal.yml)."""

from __future__ import annotations

import re
from typing import Any, Dict, List

from pydantic import BaseModel, root_validator, validator

from bids_partner.coaching.rehearsal.cues import ANY, CUES
from bids_partner.coaching.schema import check_fields, check_keys, check_question
from bids_partner.contract import KINDS, MOVES, RELATIONSHIPS

# How a reply lands on the partner (Gottman), plus reaching out oneself.
# The placeholders a scenario text may use; {reply} arrives already quoted.
FEEDBACK_FIELDS = {"partner", "reply", "move"}
SUGGESTION_FIELDS = {"partner"}
QUOTED = re.compile(r'"([^"]+)"')
# A scene partner's role starts by naming who they are: "your partner, who ...".
ROLE_NAMES_SOMEONE = re.compile(r"^your [a-z][a-z -]*(?:,|$)")
# The kinds of reply the summary may hold up as the best one: a reply that turned
# toward, else one that reached for the user's own need. A reply that turned away
# or against is never held up, however sure the reading.
HELD_UP_KINDS = ("toward", "reach")
# What a scene practises unless it says otherwise (its `aim`).
DEFAULT_AIM = ("toward",)
# Who speaks first in a scene. When the user does, the scene's `opening` is the
# partner's state as a stage direction in parentheses ("(scrolling through his
# phone)"): said as the partner's line, it is what the reply judge reads the
# user's first message against, a line with no bid in it.
STARTS = ("partner", "user")
STAGE_DIRECTION = re.compile(r"^\([^()]+\)$")


def texts_per_kind(texts: Dict[str, str], fields: set[str]) -> Dict[str, str]:
    """One text for each reply kind, using only the allowed placeholders."""
    for text in check_keys(texts, KINDS, "kinds").values():
        check_fields(text, fields)
    return texts


class PartnerLine(BaseModel):
    """One thing the partner may say next, and what in the user's reply it answers
    (cues from content/reply_cues.yml, or `any`)."""

    line: str
    responds_to: List[str] = [ANY]

    @validator("line")
    def _has_text(cls, line: str) -> str:
        if not line.strip():
            raise ValueError("a partner line may not be empty")
        return check_fields(line, set())

    @validator("responds_to")
    def _known_cues(cls, cues: List[str]) -> List[str]:
        unknown = sorted(set(cues) - {*CUES, ANY})
        if not cues or unknown:
            raise ValueError(
                f"responds_to takes {', '.join((*CUES, ANY))}; got {unknown or 'none'}"
            )
        return cues


class ReplyBranch(BaseModel):
    """What follows one kind of user reply."""

    # The partner's next line: one that answers something the reply said (its
    # cues), else one for any reply, not said yet in this scene where possible.
    partner: List[PartnerLine]
    feedback: str
    suggestion: str

    @validator("partner", pre=True)
    def _plain_lines(cls, lines: Any) -> Any:
        # A plain string is a line for any reply.
        if isinstance(lines, list):
            return [{"line": x} if isinstance(x, str) else x for x in lines]
        return lines

    @validator("partner")
    def _has_a_line_for_any_reply(cls, lines: List[PartnerLine]) -> List[PartnerLine]:
        if not any(ANY in line.responds_to for line in lines):
            raise ValueError("needs at least one partner line with responds_to: [any]")
        return lines

    @validator("feedback")
    def _feedback_fields(cls, text: str) -> str:
        return check_fields(text, FEEDBACK_FIELDS)

    @validator("suggestion")
    def _suggestion_fields(cls, text: str) -> str:
        if not QUOTED.findall(text):
            raise ValueError("a suggestion quotes the words to try, in double quotes")
        return check_fields(text, SUGGESTION_FIELDS)

    @property
    def suggested_reply(self) -> str:
        """The words the suggestion offers to say: its longest quoted passage (a
        shorter one may quote the user, as in 'let the "never" go by')."""
        return max(QUOTED.findall(self.suggestion), key=len)


class Partner(BaseModel):
    """The person the coach plays: their name, who they are to the user (one of
    the contract's relationships), and the role the scene's setup gives them,
    which names that person first ("your partner, who ...", "your mum, who
    ...")."""

    name: str
    relationship: str
    role: str

    @validator("relationship")
    def _a_relationship_of_the_contract(cls, relationship: str) -> str:
        if relationship not in RELATIONSHIPS:
            raise ValueError(
                f"expected one of {', '.join(RELATIONSHIPS)}: {relationship!r}"
            )
        return relationship

    @validator("role")
    def _names_who_they_are(cls, role: str) -> str:
        # Said after "I'll play Kai, ": who Kai is to the user comes first.
        if not ROLE_NAMES_SOMEONE.match(role):
            raise ValueError(
                "a role names who the person is to the user first, in lowercase "
                f"('your partner, who ...', 'your mum, who ...'): {role!r}"
            )
        return check_fields(role, set())


class Ending(BaseModel):
    max_replies: int
    # Replies that turned toward before the partner settles and the scene ends.
    resolve_after: int
    resolved: str
    unresolved: str

    @root_validator(skip_on_failure=True)
    def _reachable(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        if not 1 <= values["resolve_after"] <= values["max_replies"] <= 10:
            raise ValueError("needs 1 <= resolve_after <= max_replies <= 10")
        return values


class Scenario(BaseModel):
    id: str = ""
    order: int
    title: str
    # Words a user may name the scenario with ("the dinner one").
    keywords: List[str]
    setup: str
    partner: Partner
    # Who speaks first: the partner (their opening line) or the user (`opening` is
    # then the partner's state, and `user_opens` says what the user opens with).
    starts: str = "partner"
    user_opens: str | None = None
    opening: str
    # The kinds of reply the scene practises: what resolves it, what the summary
    # holds up as the strongest reply. Turning toward, unless the skill is the
    # user's own need said softly (reach), or either.
    aim: List[str] = list(DEFAULT_AIM)
    replies: Dict[str, ReplyBranch]
    ending: Ending

    @property
    def suggested_replies(self) -> List[str]:
        """The words each kind's suggestion offers the user, the partner named: what
        a user who follows the coach types (each must meet the scene's aim)."""
        return [
            branch.suggested_reply.format(partner=self.partner.name)
            for branch in self.replies.values()
        ]

    @validator("starts")
    def _a_known_speaker(cls, starts: str) -> str:
        if starts not in STARTS:
            raise ValueError(f"starts takes {' or '.join(STARTS)}: got {starts!r}")
        return starts

    @validator("user_opens")
    def _only_when_the_user_starts(
        cls, text: str | None, values: Dict[str, Any]
    ) -> str | None:
        if values.get("starts") != "user":
            raise ValueError("user_opens is only for a scene with starts: user")
        if text is None or not text.strip():
            raise ValueError("user_opens may not be empty")
        return check_fields(text, set())

    @validator("opening")
    def _the_partners_state_when_the_user_starts(
        cls, opening: str, values: Dict[str, Any]
    ) -> str:
        if values.get("starts") == "user":
            if not STAGE_DIRECTION.match(opening.strip()):
                raise ValueError(
                    "in a scene the user starts, opening is the partner's state in "
                    "parentheses, with no words of theirs (it is what the reply "
                    f"judge reads the user's first message against): {opening!r}"
                )
            if values.get("user_opens") is None:
                raise ValueError(
                    "a scene with starts: user needs user_opens, what the user "
                    "opens with (said in the setup)"
                )
        return check_fields(opening, set())

    @validator("aim")
    def _aims_at_replies_worth_holding_up(cls, aim: List[str]) -> List[str]:
        wrong = [kind for kind in aim if kind not in HELD_UP_KINDS]
        if not aim or wrong or len(set(aim)) != len(aim):
            raise ValueError(
                f"aim takes one or both of {', '.join(HELD_UP_KINDS)}, each once "
                f"(a reply that turns away or against is never the aim): got {aim}"
            )
        return aim

    @validator("keywords")
    def _has_keywords(cls, keywords: List[str]) -> List[str]:
        if not keywords or not all(k.strip() for k in keywords):
            raise ValueError("needs non-empty keywords")
        return [k.strip().lower() for k in keywords]

    @validator("replies")
    def _covers_every_kind(
        cls, replies: Dict[str, ReplyBranch]
    ) -> Dict[str, ReplyBranch]:
        return check_keys(replies, KINDS, "reply kinds")


class SummaryTexts(BaseModel):
    heading: str
    counts: str
    # The best reply quoted back: only one that turned toward or reached for the
    # user's own need (HELD_UP_KINDS), never one that turned away or against; by
    # its kind, from `best` when that is the scene's aim, else from `closest`.
    best: Dict[str, str]
    closest: Dict[str, str]
    # When no reply turned toward: what to try when playing the scene again.
    no_toward: str
    suggestion: str
    per_reply: str
    replay: str

    @validator("best", "closest")
    def _best_only_for_replies_held_up(cls, best: Dict[str, str]) -> Dict[str, str]:
        check_keys(best, HELD_UP_KINDS, "kinds held up as the best reply")
        for text in best.values():
            check_fields(text, {"partner", "reply"})
        return best

    @validator("no_toward")
    def _no_toward_fields(cls, text: str) -> str:
        return check_fields(text, {"partner"})

    @validator("replay")
    def _asks(cls, text: str) -> str:
        return check_question(text)


class ReachAimTexts(BaseModel):
    """Said instead of the usual texts in a scene whose aim is first the user's
    own need said softly (aim: [reach]): there a reply that reached is the skill,
    and the count is of replies that met the aim ({reached})."""

    counts: str
    no_reach: str
    stopped_with_replies: str
    feedback_again: Dict[str, str]

    @validator("counts")
    def _counts_fields(cls, text: str) -> str:
        return check_fields(text, {"replies", "times", "counts", "reached", "partner"})

    @validator("no_reach")
    def _no_reach_fields(cls, text: str) -> str:
        return check_fields(text, {"partner"})

    @validator("stopped_with_replies")
    def _stopped_fields(cls, text: str) -> str:
        return check_fields(text, {"replies", "times", "reached", "partner"})

    @validator("feedback_again")
    def _again_for_every_kind(cls, texts: Dict[str, str]) -> Dict[str, str]:
        return texts_per_kind(texts, {"partner", "move"})


class Times(BaseModel):
    """How many replies, in words ("once", "twice", "3 times")."""

    one: str
    two: str
    more: str

    @validator("one", "two")
    def _no_fields(cls, text: str) -> str:
        return check_fields(text, set())

    @validator("more")
    def _count_field(cls, text: str) -> str:
        if "{count}" not in text:
            raise ValueError(f"{text!r} must say the number: {{count}}")
        return check_fields(text, {"count"})

    def say(self, count: int) -> str:
        if count == 1:
            return self.one
        return self.two if count == 2 else self.more.format(count=count)


class Buttons(BaseModel):
    each_turn: str
    at_end: str
    again: str
    another: str


class TowardAndReachTexts(BaseModel):
    """Said instead of the usual counts in a scene whose aim is toward first and
    reach too (aim: [toward, reach]: a break asked for as one's own need meets
    flooded_break's aim): {met} counts the replies that did either."""

    counts: str
    stopped_with_replies: str

    @validator("counts")
    def _counts_fields(cls, text: str) -> str:
        return check_fields(text, {"replies", "times", "counts", "met", "partner"})

    @validator("stopped_with_replies")
    def _stopped_fields(cls, text: str) -> str:
        return check_fields(text, {"replies", "times", "met", "partner"})


class RehearsalTexts(BaseModel):
    version: int
    choose_scenario: str
    unknown_scenario: str
    setup: str
    # The setup of a scene the user starts (starts: user): what to open with.
    setup_user_starts: str
    ask_feedback: str
    unclear: str
    # A reply the partner could hear as warmth or as a push back: asked again.
    two_ways: str
    too_short: str
    turning_quote: Dict[str, str]
    also_reached: str
    # Stands in for a reply whose words cannot be quoted back.
    unquoted_reply: str
    times: Times
    feedback_again: Dict[str, str]
    stopped: str
    stopped_with_replies: str
    summary: SummaryTexts
    reach_aim: ReachAimTexts
    toward_and_reach_aim: TowardAndReachTexts
    buttons: Buttons
    move_labels: Dict[str, str]

    @validator("turning_quote")
    def _quote_for_every_kind(cls, texts: Dict[str, str]) -> Dict[str, str]:
        return texts_per_kind(texts, {"partner", "reply"})

    @validator("feedback_again")
    def _again_for_every_kind(cls, texts: Dict[str, str]) -> Dict[str, str]:
        return texts_per_kind(texts, {"partner", "move"})

    @validator("move_labels")
    def _labels_for_every_move(cls, labels: Dict[str, str]) -> Dict[str, str]:
        return check_keys(labels, MOVES, "moves")

    @root_validator(skip_on_failure=True)
    def _placeholders(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        allowed = {
            "choose_scenario": set(),
            "unknown_scenario": set(),
            "setup": {"title", "setup", "partner", "role"},
            "setup_user_starts": {"title", "setup", "partner", "role", "user_opens"},
            "ask_feedback": set(),
            "unclear": {"partner"},
            "two_ways": {"partner"},
            "too_short": {"partner"},
            "also_reached": {"partner"},
            "unquoted_reply": set(),
            "stopped": set(),
            "stopped_with_replies": {"replies", "times", "toward", "partner"},
        }
        for key, fields in allowed.items():
            check_fields(values[key], fields)
        summary = values["summary"]
        check_fields(
            summary.counts, {"replies", "times", "counts", "toward", "partner"}
        )
        check_fields(summary.suggestion, {"suggestion"})
        check_fields(summary.per_reply, {"number", "reply", "feedback"})
        check_question(values["ask_feedback"])
        return values
