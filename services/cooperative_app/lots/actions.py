"""What a person may do next with a lot, as links on its page: only what its state and their
role allow (a household only harvests; a lot on its way is only received, by its addressee;
a finished or recalled lot is only looked at and labelled)."""

from __future__ import annotations

from dataclasses import dataclass

from shared.readmodels.my_lots import LotDetail
from shared.records.actors import Actor, Role


@dataclass(frozen=True)
class Action:
    label: str  # a message id
    href: str


def actions_on(lot: LotDetail, actor: Actor) -> list[Action]:
    code = lot.line.code
    if actor.role is Role.HOUSEHOLD or actor.organisation_id is None:
        return []
    if lot.coming_to(actor.organisation_id):
        return [Action("lots_act_receive", f"/app/record/receive?batch={code}")]
    if not lot.held_by(actor.organisation_id):
        return []
    if lot.line.recalled:
        return [Action("lots_act_labels", f"/app/labels/{code}")]
    return [
        Action("lots_act_process", f"/app/record/process?batch={code}"),
        Action("lots_act_ship", f"/app/record/ship?batch={code}"),
        Action("lots_act_transform", f"/app/record/transform?batch={code}"),
        Action("lots_act_inspect", f"/app/record/inspect?batch={code}"),
        Action("lots_act_label", f"/app/record/label?batch={code}"),
        Action("lots_act_labels", f"/app/labels/{code}"),
        Action("lots_act_sell", f"/app/record/sell?batch={code}"),
        Action("lots_act_correct", f"/app/record/correct?batch={code}"),
        Action("lots_act_recall", f"/app/record/recall?batch={code}"),
    ]
