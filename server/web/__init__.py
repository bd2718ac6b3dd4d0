"""The read-only web view under ``/``: rankings and coverage for people without the app.

- A ``province_viewer`` reads every commune of the province ranked by each indicator and by
  an overall score (how many indicators meet their target), with the change of rank since
  an earlier day, one commune's page (hamlets, targets, progress over time) and downloads
  (XLSX, CSV). Aggregates only.
- A ``leader`` or ``commune_admin`` reads the same for the own commune, its hamlets ranked,
  plus per hamlet the households not yet visited and the people still to help (counts).
- Volunteers use the app; the web view does not sign them in.

Server-rendered HTML (Jinja2), SVG charts drawn on the server, no script. Figures come from
the tallies (:mod:`server.tallies`) and their daily snapshots (:mod:`server.snapshots`).
Sessions and CSRF are in :mod:`server.web.sessions`, headers and error pages in
:mod:`server.web.security`, the routes in :mod:`server.web.pages`.
"""

from server.web.pages import install

__all__ = ["install"]
