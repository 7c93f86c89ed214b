"""Roles, permissions, sign-in and row scope."""
