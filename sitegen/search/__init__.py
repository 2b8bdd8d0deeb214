"""Search: one Whoosh index of the archive, queried by `sitegen search` and exported for the browser.

- schema.py  the fields and the analysis (one place; the browser script mirrors it)
- index.py   keeps the index in the site's cache folder, re-indexing only changed articles
- query.py   the query language, searching and facets (CLI and dev server)
- snippets.py  the marked excerpt a result shows
- export.py  the static, sharded copy of the index that themes/default/static/search.js reads
"""
