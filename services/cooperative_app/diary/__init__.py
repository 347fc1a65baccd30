"""The cooperative app's ``diary`` part: the farm diary (nhật ký sản xuất) on my plots.

``/app/diary`` lists my plots, each with a button per activity, so an entry starts with one
tap; ``/app/diary/plots/{id}`` is a plot's diary, newest first; ``/app/diary/new`` the entry
form, which shows only the chosen activity's fields, dated today, with the member household
from the cooperative's pick list (a household's own account records for itself only).
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.cooperative_app.context import AppContext
from services.cooperative_app.diary.entries import entry_command, fields_of
from services.cooperative_app.diary.reading import DiaryLine, diary_of, my_plots, plot_of
from services.cooperative_app.lot_changes.refusals import field_of, worded
from services.cooperative_app.people import NotAllowed, Worker, WorkerPosting
from shared.accounts.gate import Person
from shared.domain import clock
from shared.domain.diary import Activity
from shared.domain.errors import DomainError
from shared.domain.plot import Plot
from shared.domain.quantities import Unit
from shared.pages.rendering import Chrome
from shared.records.actors import Role

FIELD_OF = {"amount": "amount.amount", "plot_id": "on"}
FIELDS_OF_CODE = {
    "household_not_own_household": ("household_id",),
    "household_not_own_plot": ("on",),
    "diary_date_too_old": ("on",),
}


def router(context: AppContext) -> APIRouter:
    routes = APIRouter()

    @routes.get("/app/diary", include_in_schema=False)
    def plots(request: Request, person: Worker) -> Response:
        chrome = _chrome(context, request, person)
        found = my_plots(context.connect, context.records, person.actor)
        return context.pages.response(
            "diary_plots.html", chrome, plots=found, activities=list(Activity)
        )

    @routes.get("/app/diary/plots/{plot_id}", include_in_schema=False)
    def plot_diary(request: Request, person: Worker, plot_id: str) -> Response:
        plot = _plot(context, plot_id, person)
        chrome = _chrome(context, request, person)
        return context.pages.response(
            "diary_plot.html",
            chrome,
            plot=plot,
            plot_name=plot.planting_area_code or plot.crop,
            lines=diary_of(context.records, plot.id),
            activities=list(Activity),
            recorded=request.query_params.get("recorded"),
        )

    @routes.get("/app/diary/new", include_in_schema=False)
    def new_entry(request: Request, person: Worker) -> Response:
        plot = _plot(context, request.query_params.get("plot", ""), person)
        activity = _activity(request.query_params.get("activity", ""))
        values = {"on": clock.today_in_vietnam().isoformat()}
        earlier = _last_of(context, plot, activity)
        if earlier is not None:
            values |= _prefill(earlier)
        return _form(context, request, person, plot, activity, values, {}, earlier=earlier)

    @routes.post("/app/diary/new", include_in_schema=False)
    async def record(request: Request, person: WorkerPosting) -> Response:
        form = await request.form()
        typed = {name: str(value) for name, value in form.items() if isinstance(value, str)}
        plot = _plot(context, typed.get("plot_id", ""), person)
        activity = _activity(typed.get("activity", ""))
        if activity is None:
            raise NotAllowed("appdiary_activity_unknown")
        t = context.pages.chrome(request).t
        command, errors = entry_command(
            typed, plot.id, activity, _household_ids(context, person), t
        )
        if command is not None:
            try:
                context.records.execute(person.actor, [command])
            except DomainError as refusal:
                names = ["on", "household_id", *(f.name for f in fields_of(activity))]
                errors = {field_of(refusal, names, FIELD_OF, FIELDS_OF_CODE): worded(refusal, t)}
            else:
                location = f"/app/diary/plots/{plot.id}?recorded={activity.value}"
                return RedirectResponse(location, status_code=303)
        return _form(context, request, person, plot, activity, typed, errors, status_code=422)

    return routes


def _chrome(context: AppContext, request: Request, person: Person) -> Chrome:
    return context.pages.chrome(
        request, person_name=person.display_name, csrf_token=person.csrf_token
    )


def _plot(context: AppContext, plot_id: str, person: Person) -> Plot:
    try:
        found = plot_of(context.records, UUID(plot_id), person.actor)
    except ValueError:
        found = None
    if found is None:
        raise NotAllowed("appdiary_plot_not_yours")
    return found


def _activity(value: str) -> Activity | None:
    try:
        return Activity(value)
    except ValueError:
        return None


def _household_ids(context: AppContext, person: Person) -> list[str] | None:
    if person.actor.role is Role.HOUSEHOLD or person.actor.organisation_id is None:
        return None
    return [
        str(h.household_id) for h in context.households.households_of(person.actor.organisation_id)
    ]


def _form(
    context: AppContext,
    request: Request,
    person: Person,
    plot: Plot,
    activity: Activity | None,
    values: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
    earlier: DiaryLine | None = None,
) -> Response:
    chrome = context.pages.chrome(
        request, person_name=person.display_name, csrf_token=person.csrf_token
    )
    organisation = person.actor.organisation_id
    households = (
        []
        if person.actor.role is Role.HOUSEHOLD or organisation is None
        else [
            (str(h.household_id), h.label) for h in context.households.households_of(organisation)
        ]
    )
    return context.pages.response(
        "diary_form.html",
        chrome,
        status_code=status_code,
        plot=plot,
        plot_name=plot.planting_area_code or plot.crop,
        activity=activity,
        activities=list(Activity),
        fields=fields_of(activity) if activity else (),
        households=households,
        units=[(u.value, u.value) for u in Unit],
        suggestions=_suggestions(context, plot),
        earlier=earlier,
        values=values,
        errors=errors,
    )


def _last_of(context: AppContext, plot: Plot, activity: Activity | None) -> DiaryLine | None:
    """The plot's latest entry of the same activity: the same product is often used again."""
    if activity is None:
        return None
    return next(
        (line for line in diary_of(context.records, plot.id) if line.activity == activity), None
    )


def _prefill(line: DiaryLine) -> dict[str, str]:
    """An earlier entry's details as the form's fields (its note and date are not repeated)."""
    named = {"amount": "amount.amount", "unit": "amount.unit"}
    return {named.get(k, k): v for k, v in line.details.items() if k != "note"}


def _suggestions(context: AppContext, plot: Plot) -> dict[str, list[str]]:
    """What this plot's diary said before, offered as suggestions: a product is typed once."""
    seen: dict[str, dict[str, None]] = {}
    for line in diary_of(context.records, plot.id):
        for name, value in line.details.items():
            seen.setdefault(name, {})[value] = None
    return {name: list(values)[:20] for name, values in seen.items()}
