"""The review page (`nianbao review`): a local FastAPI app over the database.

queries.py   the queue (fields needing review, worst first, by reason group and table)
decisions.py one decision = the store's review transaction + the document's checks re-run
evidence.py  page images cropped around the evidence box, rendered from the stored source
security.py  access token, CSRF tokens, host binding
context.py   what the routes share (store, checks, evidence, CSRF, page rendering, URLs)
routes_pages.py, routes_decisions.py, routes_evidence.py, routes_agency.py
             the APIRouters: queue + field view, the decision POST, the images, the agency view
archive_view.py  the archive tables read for the page (issue #16): an agency's series, a
             field's cross-year checks; plot.py its inline SVG; grouping.py moves and renames
app.py       create_app: the routers composed with the access guard; templates in templates/
"""
