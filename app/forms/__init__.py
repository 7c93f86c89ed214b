"""WTForms for the domain screens."""
