"""The pictures: ``report``, ``plan`` and ``day`` as one self-contained HTML page each.

Loaded only when ``--format html`` is asked for: the charts' library (vl-convert) is imported
by :mod:`leadtime.render.pictures.charts` when the first chart is drawn.
"""

from __future__ import annotations

from leadtime.render.pictures.day import day_page
from leadtime.render.pictures.plan import plan_page
from leadtime.render.pictures.report import report_page

__all__ = ["day_page", "plan_page", "report_page"]
