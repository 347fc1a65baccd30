"""What every app for people shares: the staff layout, its style sheet, form macros, rendering.

An app builds one :class:`Pages` over its own templates folder; its templates extend
``staff_base.html`` and import ``forms.html`` from here. Pages are Vietnamese first: the language
is ``?lang=``, then the browser's, then Vietnamese (``shared.i18n``). The layout works without
JavaScript, needs nothing from outside the page (the style sheet is inlined), and does not
scroll sideways at 360 px.
"""

from shared.pages.rendering import Chrome, Pages

__all__ = ["Chrome", "Pages"]
