"""Spreadsheets in and out: an organisation's usages and integrations (for
its members) and the whole catalogue's components (for curators), as .xlsx
and .csv, imported back through a preview that shows each row as new, changed, unchanged or an
error before anything is saved.

- `sheets`: reading and writing the files (openpyxl, csv), formulas neutralised;
- `plan`: the preview's rows and what they share (matching components by
  slug, repository URL or exact name, with near misses suggested);
- `usages`, `integrations` and `catalogue`: the columns, the export and the
  import of each (an organisation's workbook holds its usages and its
  integrations, planned and saved together).
"""
