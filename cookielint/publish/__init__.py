"""Publishing a policy: the page visitors read (``render``) and consent tools' configurations
(``export``), both generated from the same checked model.

- ``source``: a policy file → its model, or the findings that stop it from being published
- ``i18n``: the vocabulary (headings, categories, durations) from Babel message catalogs
- ``page``: the model as a visitor reads it, in one language
- ``render``: that page through a Jinja2 template (HTML or Markdown), every text escaped
- ``export/``: one module per target format (tcf, klaro, cookieconsent, ocd-csv)

The commands' work (arguments in, files and an exit status out) is in
``cookielint/commands/render.py`` and ``export.py``.
"""
