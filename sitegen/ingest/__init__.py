"""Import: raw scraped articles -> cleaned Markdown articles in content/.

The stages, in order:

- readers.py   a raw file (.txt dump, .html/.htm, .json/.jsonl) -> RawDocument(s)
- clean.py     lines of a RawDocument -> the article's paragraphs (boilerplate and repeats
               dropped, each drop with a rule name and a reason)
- metadata.py  title, source, date, authors and url from what the page showed around
               the body, with pageview.py (the page's lines and the story's place),
               headline.py (the learned headline ranker, title clean-up), byline.py,
               dates.py, htmlmeta.py (an HTML page's own metadata) and linear.py (the
               fitted models, read from data/)
- annotate.py  the hook where people and topics are filled in (a no-op until entities land)
- dedupe.py    MinHash signatures of bodies, for near-duplicate detection at scale
- index.py     what the archive already holds (raw checksums, signatures), on disk
- importer.py  the file-level driver: walk, read, clean, decide the path, write atomically

Everything but the readers' file access, the index and the importer is pure.
"""
