"""Leadership extracts: the PAR Index trend workbook, its charts and CSV, from the published warehouse."""
