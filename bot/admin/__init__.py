"""What admins use beyond the glossary files: the anonymous lookup log, stats and suggestions."""
