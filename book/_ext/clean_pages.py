"""Sphinx extension for the course website: pages that log no error in the browser console.

- sphinx-thebe adds its inline configuration script once per reading of the sources, and Jupyter Book
  reads them twice, so every page declared ``const THEBE_JS_URL`` twice ("Identifier 'THEBE_JS_URL' has
  already been declared"), and sphinx-togglebutton its selector too: repeated script entries are dropped,
  first one kept, order unchanged;
- the pydata theme logs "Got invalid theme mode" when no ``default_mode`` is configured: it gets "auto",
  which follows the reader's system setting.
"""
from __future__ import annotations


def _clean_context(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if scripts:
        seen, kept = set(), []
        for js in scripts:
            # The copies differ only in filename None against "" (an inline script either way).
            key = (js.filename or "", js.priority, tuple(sorted(js.attributes.items())))
            if key not in seen:
                seen.add(key)
                kept.append(js)
        scripts[:] = kept
    if not context.get("default_mode"):
        context["default_mode"] = "auto"


def setup(app):
    # Early: the event stops at the first handler that returns a template name.
    app.connect("html-page-context", _clean_context, priority=1)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
