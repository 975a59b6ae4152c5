"""Modal screens: code picker, text prompts, search, retrieval, code editor, help."""
