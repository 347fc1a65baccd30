"""The cooperative app's ``lots`` part: the home page, the list of what one can record, my lots
(held, on their way to me, shipped; searched by code, newest first, paged) and a lot's page.

Every page reads through :class:`shared.readmodels.my_lots.MyLots`, which shows an organisation
its own lots only: another organisation's lot answers 404, as if it did not exist.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.cooperative_app.context import AppContext
from services.cooperative_app.lots.actions import actions_on
from services.cooperative_app.lots.events import details
from services.cooperative_app.own_plots import household_plot_ids
from services.cooperative_app.people import Worker
from shared.readmodels.my_lots import VIEWS, MyLots
from shared.records.actors import Role


def router(context: AppContext) -> APIRouter:
    routes = APIRouter()
    lots = MyLots(context.connect)
    pages = context.pages

    def page(
        request: Request, person: Worker, name: str, status: int = 200, **values: object
    ) -> Response:
        chrome = pages.chrome(
            request, person_name=person.display_name, csrf_token=person.csrf_token
        )
        return pages.response(name, chrome, status_code=status, **values)

    @routes.get("/app", include_in_schema=False)
    def bare() -> Response:
        return RedirectResponse("/app/", status_code=307)

    @routes.get("/app/", include_in_schema=False)
    def home(request: Request, person: Worker) -> Response:
        organisation = person.actor.organisation("use the app")
        # A member household receives nothing: what comes to its cooperative is not its work.
        household = person.actor.role is Role.HOUSEHOLD
        coming = [] if household else lots.picks(organisation, "coming")
        return page(
            request, person, "lots_home.html", coming=coming, role=person.actor.role, Role=Role
        )

    @routes.get("/app/record", include_in_schema=False)
    def record(request: Request, person: Worker) -> Response:
        return page(request, person, "lots_record.html", role=person.actor.role, Role=Role)

    @routes.get("/app/lots", include_in_schema=False)
    def my_lots(
        request: Request, person: Worker, view: str = "held", q: str = "", page_number: int = 1
    ) -> Response:
        organisation = person.actor.organisation("use the app")
        chosen = view if view in VIEWS else "held"
        mine = household_plot_ids(context.records, person.actor, lots.plots(organisation))
        listed = lots.lots(organisation, chosen, q, page_number, mine)
        counts = {name: lots.count(organisation, name, mine) for name in VIEWS}
        return page(
            request, person, "lots_list.html", listed=listed, q=q, counts=counts, views=VIEWS
        )

    @routes.get("/app/lots/{code}", include_in_schema=False)
    def lot(request: Request, person: Worker, code: str) -> Response:
        organisation = person.actor.organisation("use the app")
        mine = household_plot_ids(context.records, person.actor, lots.plots(organisation))
        found = lots.lot(organisation, code.upper(), mine)
        if found is None:
            return page(request, person, "lots_not_found.html", status=404, code=code)
        actions = actions_on(found, person.actor)
        may_export = person.actor.role is not Role.HOUSEHOLD  # the exports part's rule
        return page(
            request,
            person,
            "lots_lot.html",
            lot=found,
            actions=actions,
            details=details,
            role_may_export=may_export,
        )

    return routes
