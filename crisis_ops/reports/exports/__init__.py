"""Report files (CSV, XLSX, PDF) rendered from a published report only, never from the
database, so that every file shows exactly the suppressed numbers the page shows."""
