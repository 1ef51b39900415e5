"""Data in, text out: tables, JSON, Markdown, cards, drafts, import plans, vCards."""
